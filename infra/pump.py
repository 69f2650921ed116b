"""Feed DynamoDB Stream records into the handlers Lambda would run.

On AWS an event source mapping does this. The local stack and the integration tests
read moto's streams and call the very same handlers, in Lambda's event shape, and honour
their partial-batch answers: a failed record is retried, then dropped after
``MAX_ATTEMPTS`` with a log line, as the mapping's MaximumRetryAttempts would.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import boto3
from botocore.exceptions import ClientError

log = logging.getLogger("pakn.pump")
MAX_ATTEMPTS = 5


class _Shard:
    def __init__(self, arn: str, shard_id: str):
        self.arn = arn
        self.shard_id = shard_id
        self.iterator: str | None = None
        self.last_sequence: str | None = None
        self.retry_sequence: str | None = None
        self.attempts = 0


class StreamPump:
    def __init__(
        self,
        handlers: dict[str, Callable[[dict, object], dict | None]],
        region: str,
        endpoint_url: str | None = None,
        batch_size: int = 25,
    ):
        # botocore's newest endpoint rules name an account-scoped streams host that
        # moto does not serve in process; the classic regional one works everywhere.
        self._streams = boto3.client(
            "dynamodbstreams",
            region_name=region,
            endpoint_url=endpoint_url
            or f"https://streams.dynamodb.{region}.amazonaws.com",
        )
        self._handlers = handlers
        self._region = region
        self._batch_size = batch_size
        self._shards: list[_Shard] = []
        self._lock = threading.Lock()
        for arn in handlers:
            description = self._streams.describe_stream(StreamArn=arn)
            for shard in description["StreamDescription"]["Shards"]:
                self._shards.append(_Shard(arn, shard["ShardId"]))

    def _iterator(self, shard: _Shard) -> str:
        if shard.retry_sequence:
            kwargs = {
                "ShardIteratorType": "AT_SEQUENCE_NUMBER",
                "SequenceNumber": shard.retry_sequence,
            }
        elif shard.last_sequence:
            kwargs = {
                "ShardIteratorType": "AFTER_SEQUENCE_NUMBER",
                "SequenceNumber": shard.last_sequence,
            }
        else:
            kwargs = {"ShardIteratorType": "TRIM_HORIZON"}
        return self._streams.get_shard_iterator(
            StreamArn=shard.arn, ShardId=shard.shard_id, **kwargs
        )["ShardIterator"]

    def poll_once(self) -> int:
        """One read of every shard; returns how many records the handlers took."""
        with self._lock:
            return sum(self._poll_shard(shard) for shard in self._shards)

    def _poll_shard(self, shard: _Shard) -> int:
        if shard.iterator is None:
            shard.iterator = self._iterator(shard)
        try:
            answer = self._streams.get_records(
                ShardIterator=shard.iterator, Limit=self._batch_size
            )
        except ClientError:
            shard.iterator = None  # moto forgets iterators it did not make: re-acquire
            return 0
        records = answer.get("Records", [])
        shard.iterator = answer.get("NextShardIterator")
        if not records:
            return 0
        event = {"Records": [self._lambda_record(shard.arn, r) for r in records]}
        failed = self._call(shard.arn, event)
        if failed is None:
            shard.last_sequence = records[-1]["dynamodb"]["SequenceNumber"]
            shard.retry_sequence = None
            shard.attempts = 0
            return len(records)
        shard.attempts = shard.attempts + 1 if shard.retry_sequence == failed else 1
        if shard.attempts >= MAX_ATTEMPTS:
            log.error(
                "stream record dropped after retries",
                extra={"sequence": failed, "stream": shard.arn},
            )
            shard.last_sequence, shard.retry_sequence, shard.attempts = failed, None, 0
        else:
            shard.retry_sequence = failed
        shard.iterator = None
        return len(records)

    def _call(self, arn: str, event: dict) -> str | None:
        """Run the handler; the sequence number to retry from, or None if all done."""
        try:
            answer = self._handlers[arn](event, None)
        except Exception:
            log.exception("stream handler failed")
            return event["Records"][0]["dynamodb"]["SequenceNumber"]
        failures = (answer or {}).get("batchItemFailures") or []
        if not failures:
            return None
        return failures[0]["itemIdentifier"]

    def _lambda_record(self, arn: str, record: dict) -> dict:
        data = dict(record["dynamodb"])
        created = data.get("ApproximateCreationDateTime")
        if hasattr(created, "timestamp"):
            data["ApproximateCreationDateTime"] = created.timestamp()
        return {
            "eventID": record["eventID"],
            "eventName": record["eventName"],
            "eventVersion": "1.1",
            "eventSource": "aws:dynamodb",
            "awsRegion": self._region,
            "dynamodb": data,
            "eventSourceARN": arn,
        }

    def drain(self, rounds: int = 50) -> int:
        """Poll until a round finds nothing new (or ``rounds`` rounds)."""
        total = 0
        for _ in range(rounds):
            taken = self.poll_once()
            total += taken
            if not taken:
                break
        return total

    def run(self, stop: threading.Event, interval: float = 0.05) -> None:
        while not stop.is_set():
            try:
                taken = self.poll_once()
            except Exception:
                log.exception("stream pump round failed")
                taken = 0
            if not taken:
                stop.wait(interval)
        time.sleep(0)
