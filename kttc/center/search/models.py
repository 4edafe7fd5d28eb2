"""The embeddings of public results kept in the database, so that each is encoded once for every
web node (README "Search by meaning", ``KTTC_EMBED_WORKER=queue``): a worker of the task queue
encodes a result and writes its row here (``kttc.center.search.shared``), and each node's follower
copies the row into its own vector file instead of encoding the result again."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ResultVector(models.Model):
    """A public result's passage vector by one encoder (its name) and passage version, in the
    bytes the vector file keeps (little-endian float16), with the digest of the text encoded:
    a change that leaves the passage as it was is not encoded again."""

    id = models.BigAutoField(primary_key=True)
    # No foreign key: the worker that writes a row takes no lock on the result it names (DESIGN
    # rule 9); a row of a result no longer public is removed by the task that finds it so.
    achievement_id = models.BigIntegerField()
    model = models.CharField(max_length=64)
    passage_version = models.PositiveSmallIntegerField()
    digest = models.CharField(max_length=32)
    vector = models.BinaryField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "stored embedding of a result"
        constraints = [
            models.UniqueConstraint(
                fields=("achievement_id", "model", "passage_version"),
                name="center_resultvector_one_per_model",
            )
        ]

    def __str__(self) -> str:
        return f"{self.achievement_id}: {self.model} p{self.passage_version}"
