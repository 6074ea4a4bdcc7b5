"""Gunicorn, the production web server: `gunicorn -c config/gunicorn.conf.py config.wsgi`
(`make serve-production` runs it with the task worker beside it). Every value can be changed
from the environment without editing this file."""

import multiprocessing
import os

# Local only by default: the council's proxy sits in front (set GUNICORN_BIND=0.0.0.0:8000 in a
# container).
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# (2 x cores) + 1 sync workers, gunicorn's own rule of thumb: each page waits mostly on the
# database, so a worker per core is not enough to keep the cores busy.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
# A request taking longer than this is killed and its worker replaced: searches answer in well
# under a second (docs/performance.md), so 30 s means something is stuck.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Workers are replaced now and then, so a slow leak cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
# Load the site once before forking: a broken configuration stops the start, not each worker.
preload_app = True

# Logs to standard output and error, redacted the same way as the site's own logs.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logger_class = "ops.gunicorn_logging.RedactingLogger"
access_log_format = (
    '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s" request_id=%({x-request-id}o)s'
)
# Behind the council's proxy or load balancer: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
