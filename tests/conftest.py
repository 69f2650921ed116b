import os

# Tests never reach AWS: fake credentials, one region, the app's stage.
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "ap-southeast-1")
os.environ.setdefault("AWS_REGION", "ap-southeast-1")
os.environ.setdefault("PAKN_STAGE", "kontum")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "pakn")
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
os.environ.pop("AWS_ENDPOINT_URL", None)

# moto's Query sorts the whole table on every call; read one partition instead.
from infra import moto_speedup  # noqa: E402

moto_speedup.install()
