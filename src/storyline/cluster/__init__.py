"""Cluster stage: place articles into stories, online and incrementally (see `online`)."""

from storyline.cluster.features import Features, featurize
from storyline.cluster.online import Decision, OnlineClusterer, Placement, default_decision

__all__ = ["Decision", "Features", "OnlineClusterer", "Placement", "default_decision", "featurize"]
