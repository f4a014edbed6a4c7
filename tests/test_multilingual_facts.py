"""Facts beyond English: amounts, dates, quotes and names in each language's own conventions.

Every sentence here was written for this test.
"""

from __future__ import annotations

import pytest

from storyline.analyse import analyse
from storyline.analyse.languages import profile
from storyline.analyse.patterns import parse_number, read
from storyline.models import Article

PUBLISHED = "2024-05-08"  # a Wednesday


def _article(text: str, language: str) -> Article:
    return Article(source="test", url="https://example.org/a", title=None, published=PUBLISHED,
                   published_evidence=None, published_confidence=1.0, publisher=None, authors=[], credited=[],
                   language=language, text=text, removed=[], captions=[], format="text")


@pytest.mark.parametrize(("language", "text", "value", "measured", "bound"), [
    ("fr", "Environ 1 200 manifestants ont défilé dans le centre de Lille.", 1200, "protester", "~"),
    ("de", "Mehr als 1.500 Demonstranten zogen durch die Innenstadt von Leipzig.", 1500, "protester", ">"),
    ("es", "Unas 300 personas resultaron heridas en el accidente de Sevilla.", 300, "people injured", "~"),
    ("it", "Almeno 14 persone sono morte nel crollo del ponte.", 14, "people dead", ">"),
    ("pt", "Cerca de 40 mil pessoas foram evacuadas em Porto Alegre.", 40000, "people evacuated", "~"),
    ("nl", "Bijna 80 mensen raakten gewond bij de botsing.", 80, "people injured", "~"),
    ("ru", "Около 250 демонстрантов собрались у здания мэрии.", 250, "protester", "~"),
    ("pl", "Ponad 30 osób zginęło w pożarze hotelu.", 30, "people dead", ">"),
    ("vi", "Vụ cháy làm 7 người chết và nhiều người bị thương.", 7, "people dead", "="),
    ("zh", "事故造成至少9人死亡。", 9, "people dead", ">"),
    ("de", "Der Schaden wird auf rund 2,5 Millionen Euro geschätzt.", 2_500_000, "euro", "~"),
    ("fr", "Les travaux coûteront 3,2 milliards d'euros.", 3_200_000_000, "euro", "="),
    ("vi", "Dự án có tổng vốn đầu tư 1.250 tỷ đồng.", 1_250_000_000_000, "vietnamese dong", "="),
])
def test_amounts_with_what_they_count(language, text, value, measured, bound):
    amounts = read(text, language, PUBLISHED).quantities
    assert [(q.value, q.measured, q.bound) for q in amounts] == [(value, measured, bound)]


def test_ranges_and_numbers_that_are_not_amounts():
    q = read("Entre 400 et 900 civils ont été tués de 2004 à 2013.", "fr", PUBLISHED).quantities
    assert [(x.value, x.value_max) for x in q] == [(400, 900)]
    assert not read("Der Zug fuhr um 4.17 Uhr ab.", "de", PUBLISHED).quantities
    assert not read("La réunion a commencé à 21h30.", "fr", PUBLISHED).quantities


@pytest.mark.parametrize(("written", "decimal_comma", "value"), [
    ("1.200", True, 1200), ("1 200", True, 1200), ("6,1", True, 6.1), ("1.234.567,5", True, 1234567.5),
    ("2.5", True, 2.5), ("1,200", False, 1200), ("6.1", False, 6.1),
    ("1,200", None, 1200), ("1.200", None, 1200), ("6,1", None, 6.1), ("1.234,5", None, 1234.5),
    ("1,234,567", None, 1234567), ("2,50", None, 2.5),
])
def test_numbers_in_each_convention(written, decimal_comma, value):
    assert parse_number(written, decimal_comma) == value


@pytest.mark.parametrize(("language", "text", "date"), [
    ("fr", "Le séisme a eu lieu le 3 mai 2024 au large de la Crète.", "2024-05-03"),
    ("de", "Die Polizei griff am 3. Mai ein.", "2024-05-03"),
    ("es", "El incendio comenzó el 2 de mayo de 2024.", "2024-05-02"),
    ("ru", "Пожар начался 5 мая в пригороде.", "2024-05-05"),
    ("vi", "Hôm 6/5, cơ quan chức năng đã vào cuộc.", "2024-05-06"),
    ("zh", "该公司于2024年5月3日宣布了这一决定。", "2024-05-03"),
    ("fr", "Lundi, le préfet a annoncé un couvre-feu.", "2024-05-06"),
    ("de", "Gestern hat der Stadtrat abgestimmt.", "2024-05-07"),
    ("it", "Il ponte è crollato martedì sera.", "2024-05-07"),
])
def test_dates_resolved_against_publication(language, text, date):
    assert [t.date for t in read(text, language, PUBLISHED).times] == [date]


def test_a_day_without_a_year_is_not_put_in_the_future():
    assert [t.date for t in read("Die Wahl fand am 28. Dezember statt.", "de", PUBLISHED).times] == ["2023-12-28"]


@pytest.mark.parametrize(("language", "text", "speaker", "content"), [
    ("fr", "« Nous reconstruirons chaque maison », a déclaré Claire Moreau devant la presse.", "Claire Moreau",
     "Nous reconstruirons chaque maison"),
    ("de", "„Die Lage ist unter Kontrolle“, sagte Jonas Weber am Abend.", "Jonas Weber",
     "Die Lage ist unter Kontrolle"),
    ("es", "\"No habrá más retrasos en la obra\", dijo Lucía Romero.", "Lucía Romero",
     "No habrá más retrasos en la obra"),
    ("ru", "«Мы продолжим поиски до утра», — заявил Павел Орлов.", "Павел Орлов", "Мы продолжим поиски до утра"),
    ("vi", "Ông Trần Minh Quang cho biết: “Chúng tôi sẽ hỗ trợ các gia đình bị ảnh hưởng”.", "Trần Minh Quang",
     "Chúng tôi sẽ hỗ trợ các gia đình bị ảnh hưởng"),
    ("it", "Secondo Marco Bianchi, «il ponte era sicuro fino a ieri».", "Marco Bianchi",
     "il ponte era sicuro fino a ieri"),
])
def test_quotes_with_their_speakers(language, text, speaker, content):
    quotes = read(text, language, PUBLISHED).quotes
    assert [(q.speaker, q.text) for q in quotes] == [(speaker, content)]
    assert text[quotes[0].start:quotes[0].end] == content


def test_a_title_in_quotation_marks_is_not_a_quote():
    assert not read("Le film « Les Ailes » sort en salles.", "fr", PUBLISHED).quotes


def test_sentences_are_not_split_after_initials_or_ordinal_days():
    text = "Am 3. Mai sprach J. Weber in Bonn. Danach reiste er ab."
    assert read(text, "de", PUBLISHED).sentences == ["Am 3. Mai sprach J. Weber in Bonn.", "Danach reiste er ab."]


@pytest.mark.parametrize(("language", "coverage"), [("en", "full"), ("fr", "parsed"), ("de", "patterns"),
                                                   ("vi", "patterns"), ("sw", "numbers")])
def test_facts_say_how_deep_they_go(language, coverage):
    text = {"en": "About 200 people were evacuated from Lyon on Monday.",
            "fr": "Environ 200 personnes ont été évacuées de Lyon lundi.",
            "de": "Etwa 200 Menschen wurden am Montag aus Köln evakuiert.",
            "vi": "Khoảng 200 người đã được sơ tán khỏi Đà Nẵng hôm 6/5.",
            "sw": "Watu 200 waliondolewa kutoka Mombasa tarehe 6/5/2024."}[language]
    facts = analyse(_article(text, language)).to_json()
    assert (facts["language"], facts["coverage"]) == (language, coverage)
    assert [q["value"] for q in facts["quantities"]] == [200]
    assert facts["times"] and facts["times"][0]["date"].startswith("2024-05")


def test_french_names_come_from_the_parse():
    facts = analyse(_article("Le maire de Toulouse, Antoine Garnier, a rencontré les habitants. "
                             "« Personne ne sera oublié », a promis M. Garnier.", "fr"))
    people = {e.name for e in facts.entities if e.type == "PERSON"}
    assert "Antoine Garnier" in people
    assert [q.speaker for q in facts.quotes] == ["Antoine Garnier"]
    assert any(p.name == "Toulouse" and p.lat for p in facts.places)


def test_every_profile_is_well_formed():
    for code in ("fr", "de", "es", "it", "pt", "nl", "ru", "uk", "pl", "vi", "id", "tr", "sv", "da", "no", "ro",
                 "cs", "zh", "ja"):
        lang = profile(code)
        assert lang.code == code and lang.speech and lang.counted and lang.about
        assert all(stem == stem.lower() for stems in lang.counted.values() for stem in stems)


def test_the_cli_says_each_articles_language_and_depth(tmp_path, db, cli, cli_json):
    import json

    rows = [{"url": "https://lyon.example.org/crue", "title": "Crue à Lyon", "published": PUBLISHED,
             "text": "Environ 200 personnes ont été évacuées de Lyon lundi, selon la préfecture du Rhône. "
                     "« La Saône monte encore », a déclaré Hélène Marchal, adjointe au maire."},
            {"url": "https://koeln.example.org/hochwasser", "title": "Hochwasser in Lyon", "published": PUBLISHED,
             "text": "Etwa 200 Menschen wurden am Montag in Lyon in Sicherheit gebracht, teilte die Präfektur mit. "
                     "„Die Saône steigt weiter“, sagte Hélène Marchal."}]
    path = tmp_path / "two.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    cli("ingest", path, "--db", db)
    articles = {a["language"]: a["id"] for a in cli_json("articles", "--db", db)}
    french = cli_json("facts", articles["fr"], "--db", db)
    assert (french["language"], french["coverage"]) == ("fr", "parsed")
    assert [q["speaker"] for q in french["quotes"]] == ["Hélène Marchal"]
    assert "depth patterns" in cli("facts", articles["de"], "--db", db).stdout
    story = cli_json("stories", "--db", db)[0]["id"]
    depths = {a["language"]: a["coverage"] for a in cli_json("facts", "--story", story, "--db", db)["articles"]}
    assert depths == {"fr": "parsed", "de": "patterns"}


@pytest.mark.parametrize(("language", "text"), [
    ("vi", "Đội chủ nhà thắng 4-1 ở vòng 3 của giải đấu."),
    ("fr", "Le bus numéro 38 passe par la phase 2 du chantier."),
    ("de", "Die Linie 5 hält am Gleis 7."),
    ("es", "El vuelo 714 salió de la puerta 12."),
])
def test_scores_and_labels_are_not_amounts(language, text):
    assert not read(text, language, PUBLISHED).quantities


def test_ranges_with_dashes_keep_both_ends():
    [q] = read("Giá gạo khoảng 7.850 – 7.950 đồng/kg.", "vi", PUBLISHED).quantities
    assert (q.value, q.value_max, q.unit) == (7850, 7950, "vietnamese dong")


@pytest.mark.parametrize(("language", "text"), [
    ("fr", "Il a présenté le film « La Nuit des longs couteaux » à Cannes."),
    ("vi", "Chương trình “Tìm người Việt Nam thứ hai bay vào vũ trụ” thu hút giới trẻ."),
    ("de", "Die Kampagne „Gemeinsam gegen Hitze im Sommer“ startet heute."),
    ("es", "Edward Snowden fue llamado \"el traidor de la patria entera\" por sus críticos."),
])
def test_names_of_works_and_campaigns_are_not_quotes(language, text):
    assert not read(text, language, PUBLISHED).quotes


def test_a_day_without_a_year_goes_to_the_nearest_year():
    dates = [t.date for t in read("Phiên tòa sẽ mở vào ngày 3.12 tại Hà Nội.", "vi", "2013-10-25").times]
    assert dates == ["2013-12-03"]


def test_a_name_before_the_colon_that_opens_a_quote_is_the_speaker():
    [q] = read("Bộ trưởng Nguyễn Văn Bình: “Chúng tôi sẽ kiểm tra toàn bộ hồ sơ của dự án này”.", "vi",
               PUBLISHED).quotes
    assert q.speaker == "Nguyễn Văn Bình"


def test_a_quote_of_two_sentences_is_one_quote():
    text = "«Vannet kom ned dalen som en vegg. Mange rakk ikke å komme seg ut», sa innsatsleder Kari Holmedal."
    [q] = read(text, "no", PUBLISHED).quotes
    assert q.speaker == "Kari Holmedal" and q.text.startswith("Vannet") and q.text.endswith("ut")


def test_norwegian_dates_come_from_the_bokmal_calendar():
    assert [t.date for t in read("Dammen brast tirsdag 4. mars.", "no", PUBLISHED).times] == ["2024-03-04"]


@pytest.mark.parametrize(("language", "text", "speaker"), [
    ("vi", "Ông Trần Quốc Hùng, Giám đốc Sở Xây dựng Đà Nẵng, cho biết: “Chúng tôi sẽ kiểm tra lại toàn bộ "
           "các công trình”.", "Trần Quốc Hùng"),
    ("fr", "« Le chantier reprendra lundi, sans faute », a déclaré Paul Girard, directeur de la SNCF Réseau.",
     "Paul Girard"),
    ("vi", "“Chúng tôi không đồng ý với báo cáo này về vụ việc” trong cuộc họp, bà Harf khẳng định.", "Harf"),
])
def test_the_person_is_the_speaker_not_the_office_beside_the_name(language, text, speaker):
    assert [q.speaker for q in read(text, language, PUBLISHED).quotes] == [speaker]


def test_the_article_page_says_how_deep_its_facts_go(db, cli, cli_json):
    from conftest import SAMPLES
    from fastapi.testclient import TestClient

    from storyline.web.app import create_app
    from storyline.web.data import StoredFacts

    cli("ingest", SAMPLES / "pages" / "fjordposten-lindvatn-nb.txt", "--db", db)
    [article] = cli_json("articles", "--db", db)
    cli("facts", article["id"], "--db", db)  # analysed and stored, as ingest's story step does
    with TestClient(create_app(db, facts=StoredFacts())) as client:
        html = client.get(f"/articles/{article['id']}").text
    assert '<dd id="coverage">patterns: ' in html
    assert '<mark class="quote"' in html and '<mark class="number"' in html


@pytest.mark.parametrize("text", [
    "Er sagte: »Wir bleiben. Das ist sicher.« Dann ging er. Der Rest folgte.",
    "Ông nói: “Chúng tôi ở lại. Chắc chắn như vậy\". Sau đó ông đi. Phần còn lại theo sau.",
])
def test_sentences_end_after_a_quotation_closed_by_any_mark(text):
    language = "de" if text.startswith("Er") else "vi"
    assert len(read(text, language, PUBLISHED).sentences) == 3


def test_a_quote_ending_its_sentence_keeps_its_closing_mark():
    r = read("Ông Trần Văn Nam nói: “Chúng tôi ở lại đây. Chắc chắn như vậy.” Sau đó ông đi về nhà.", "vi",
             PUBLISHED)
    assert r.sentences[1] == "Sau đó ông đi về nhà."
    assert [(q.speaker, q.text) for q in r.quotes] == [("Trần Văn Nam", "Chúng tôi ở lại đây. Chắc chắn như vậy.")]


@pytest.mark.parametrize(("language", "text"), [
    ("fr", "Il a déclaré : « Nous ne partirons pas d'ici avant demain. »"),
    ("de", "Er sagte: „Wir bleiben hier bis morgen früh.“"),
])
def test_a_pronoun_is_not_a_speaker(language, text):
    assert [q.speaker for q in read(text, language, PUBLISHED).quotes] == [None]


def test_a_quote_opening_the_next_paragraph_stays_with_it():
    text = "Deux personnes ont été interpellées à Lyon.\n« Nous avons agi vite et bien », a déclaré Paul Girard."
    r = read(text, "fr", PUBLISHED)
    assert r.sentences[1].startswith("« Nous") and [q.speaker for q in r.quotes] == ["Paul Girard"]


def test_a_language_without_a_profile_still_gets_its_dates():
    times = read("A szavazás május 3-án volt, a kormány szerint 1.200 ember vett részt.", "hu", PUBLISHED)
    assert [t.date for t in times.times] == ["2024-05-03"]
    assert [q.value for q in times.quantities] == [1200]
