import logging

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

HEARTBEAT_CACHE_KEY = "core:worker-heartbeat"


@shared_task(name="core.heartbeat")
def heartbeat_task() -> str:
    """Proves that beat schedules and a worker runs: logged, and read by /healthz."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_CACHE_KEY, now, timeout=None)
    logger.info("heartbeat: the Celery worker is alive at %s", now)
    return now
