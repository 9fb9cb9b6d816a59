"""gunicorn settings for production.

    gunicorn -c python:quizapp.gunicorn_conf 'quizapp:create_app()'

Every value can be overridden from the environment, so one file serves a laptop and a school.
"""

import multiprocessing
import os

bind = os.environ.get("QUIZAPP_BIND", "127.0.0.1:8000")
# The usual 2 x cores + 1: workers spend much of each request waiting on the database.
workers = int(os.environ.get("QUIZAPP_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("QUIZAPP_THREADS", "1"))
timeout = int(os.environ.get("QUIZAPP_TIMEOUT", "30"))
graceful_timeout = 20
# Requests are logged by the app itself as JSON lines (quizapp.security); gunicorn's own
# access log would only repeat them.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("QUIZAPP_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
