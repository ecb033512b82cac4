"""HTTP transport shared by every provider adapter: one session per account, timeouts, retries, call records.

Rules this module enforces so adapters cannot forget them:

- every request carries a (connect, read) timeout;
- 429, 5xx and connection failures are retried with exponential backoff plus jitter, honouring
  ``Retry-After`` (seconds or an HTTP date), a bounded number of times;
- a request that is not idempotent (POST creates) is retried only when it certainly never reached the server
  (connection refused, connect timeout) or was refused before processing (429); a read timeout, a dropped
  connection or a 5xx on a create raises ``ProviderError(TRANSIENT, maybe_committed=True)`` so the caller
  reconciles by reference before creating again;
- calls go through a client-side token bucket per account;
- every attempt produces a ``CallRecord`` (redacted) handed to the ``recorder`` given at construction.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, urlencode

import requests
import urllib3

from .base import ProviderError, ProviderErrorKind
from .ratelimit import TokenBucket
from .redaction import redact, redact_text

log = logging.getLogger(__name__)

#: (connect, read) seconds
DEFAULT_TIMEOUT: tuple[float, float] = (3.05, 20.0)
#: response text kept in a CallRecord when the body is not JSON
MAX_TEXT = 4000
#: JSON bodies larger than this are recorded as a summary (size, record counts, the first record): list pages
#: of hundreds of records add nothing a person reads, and redacting them costs more than the request
MAX_RECORDED_BODY = 32 * 1024
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


@dataclass(frozen=True)
class CallRecord:
    """One attempt of one provider request, as the ProviderCall table will store it (already redacted)."""

    provider: str
    account: str
    method: str
    path: str
    query: Mapping[str, Any]
    request_body: Any
    status: int | None
    response_body: Any
    duration_ms: float
    attempt: int
    started_at: datetime
    error: str | None = None
    retry_after: float | None = None


Recorder = Callable[[CallRecord], None]


@dataclass(frozen=True)
class HttpResponse:
    """A successful (2xx) response with its JSON body parsed (None when empty)."""

    status: int
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)


#: turns a final non-2xx response into the error to raise: (status, parsed JSON or None, text, headers)
ErrorParser = Callable[[int, Any, str, Mapping[str, str]], ProviderError]


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry."""

    max_attempts: int = 4
    backoff_base: float = 0.5
    backoff_max: float = 20.0
    #: a Retry-After longer than this is not waited for inline: RATE_LIMITED is raised with retry_after
    max_retry_after: float = 60.0
    retry_statuses: frozenset[int] = frozenset({429, 500, 502, 503, 504})


def status_kind(status: int) -> ProviderErrorKind:
    """The error kind an HTTP status means when the body says nothing more precise."""
    if status == 401:
        return ProviderErrorKind.AUTH
    if status == 403:
        return ProviderErrorKind.FORBIDDEN
    if status in (404, 410):
        return ProviderErrorKind.NOT_FOUND
    if status == 409:
        return ProviderErrorKind.CONFLICT
    if status in (412, 428):
        return ProviderErrorKind.PRECONDITION
    if status == 429:
        return ProviderErrorKind.RATE_LIMITED
    if status >= 500 or status == 408:
        return ProviderErrorKind.TRANSIENT
    return ProviderErrorKind.VALIDATION


def generic_error(status: int, body: Any, text: str, headers: Mapping[str, str]) -> ProviderError:
    """Error for a provider whose error bodies we do not parse."""
    snippet = redact_text(text[:200]) if text else f"HTTP {status}"
    return ProviderError(status_kind(status), snippet, status=status)


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date); None if absent/invalid."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


def request_may_have_reached_server(exc: requests.RequestException) -> bool:
    """False only when the request certainly never left us (refused, connect timeout, bad URL)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return False
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return True
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        return False
    if isinstance(exc, requests.exceptions.ConnectionError):
        reason: Any = exc.args[0] if exc.args else None
        if isinstance(reason, urllib3.exceptions.MaxRetryError):
            reason = reason.reason
        # NewConnectionError (refused, unreachable, DNS) subclasses ConnectTimeoutError in urllib3 2
        if isinstance(reason, urllib3.exceptions.ConnectTimeoutError):
            return False
    return True


#: a form body: pairs (a name may repeat) or a mapping
FormBody = Sequence[tuple[str, str]] | Mapping[str, str]


def form_record(pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """A form as a call record shows it: ``{name: value}``, or ``{name: [values]}`` for a repeated name."""
    out: dict[str, Any] = {}
    for name, value in pairs:
        if name in out:
            out[name] = [*out[name], value] if isinstance(out[name], list) else [out[name], value]
        else:
            out[name] = value
    return out


def quote_segment(value: str) -> str:
    """A value made safe to put into one URL path segment (``+1503...`` -> ``%2B1503...``)."""
    return quote(value, safe="")


class HttpClient:
    """JSON-over-HTTPS client for one provider account."""

    def __init__(
        self,
        *,
        provider: str,
        account: str,
        base_url: str,
        headers: Mapping[str, str],
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        bucket: TokenBucket | None = None,
        recorder: Recorder | None = None,
        error_parser: ErrorParser = generic_error,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.provider = provider
        self.account = account
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.bucket = bucket
        self.recorder = recorder
        self.error_parser = error_parser
        self._sleep = sleep
        self._clock = clock
        self._wall = wall
        self._rng = rng or random.Random()
        self.session = session or requests.Session()
        self.session.headers.update({"Accept": "application/json", **headers})

    def close(self) -> None:
        """Close the pooled connections."""
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # convenience verbs -------------------------------------------------------------------------------
    def get(self, path: str, *, query: Mapping[str, Any] | None = None) -> HttpResponse:
        """GET and return the parsed body."""
        return self.request("GET", path, query=query)

    def post(
        self, path: str, body: Any = None, *, form: FormBody | None = None, idempotent: bool = False
    ) -> HttpResponse:
        """POST (JSON ``body`` or ``form``); not retried after it may have reached the server unless
        ``idempotent``."""
        return self.request("POST", path, body=body, form=form, idempotent=idempotent)

    def put(self, path: str, body: Any = None, *, idempotent: bool = True) -> HttpResponse:
        """PUT."""
        return self.request("PUT", path, body=body, idempotent=idempotent)

    def delete(self, path: str) -> HttpResponse:
        """DELETE."""
        return self.request("DELETE", path)

    # the loop ----------------------------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        form: FormBody | None = None,
        idempotent: bool | None = None,
        timeout: tuple[float, float] | None = None,
    ) -> HttpResponse:
        """Send a request with retries; return the 2xx response or raise ProviderError.

        ``body`` is sent as JSON; ``form`` (pairs, a key may repeat: Twilio's arrays) as
        ``application/x-www-form-urlencoded``. Call records show a form as ``{name: value or [values]}``.
        """
        method = method.upper()
        idempotent = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        if form is not None:
            pairs = list(form.items()) if isinstance(form, Mapping) else list(form)
            data: bytes | None = urlencode(pairs).encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            body = form_record(pairs)
        else:
            data = None if body is None else json.dumps(body, separators=(",", ":")).encode()
            headers = {"Content-Type": "application/json"} if data is not None else {}
        url = self.base_url + path
        attempt = 0
        while True:
            attempt += 1
            last = attempt >= self.retry.max_attempts
            if self.bucket is not None:
                self.bucket.acquire()
            started = datetime.fromtimestamp(self._wall(), UTC)
            t0 = self._clock()
            try:
                resp = self.session.request(
                    method,
                    url,
                    params=dict(query) if query else None,
                    data=data,
                    headers=headers,
                    timeout=timeout or self.timeout,
                    allow_redirects=False,
                )
            except requests.RequestException as exc:
                reached = request_may_have_reached_server(exc)
                self._record(method, path, query, body, None, None, t0, attempt, started, error=_describe(exc))
                if (not reached or idempotent) and not last:
                    self._sleep(self._backoff(attempt))
                    continue
                raise ProviderError(
                    ProviderErrorKind.TRANSIENT,
                    f"{self.provider} did not answer {method} {path}: {_describe(exc)}",
                    maybe_committed=reached and not idempotent,
                ) from exc
            try:
                outcome = self._handle(resp, method, path, query, body, t0, attempt, started, idempotent, last)
            finally:
                resp.close()
            if isinstance(outcome, HttpResponse):
                return outcome
            self._wait(outcome, attempt)

    def _handle(
        self,
        resp: requests.Response,
        method: str,
        path: str,
        query: Mapping[str, Any] | None,
        body: Any,
        t0: float,
        attempt: int,
        started: datetime,
        idempotent: bool,
        last: bool,
    ) -> HttpResponse | tuple[str, float | None]:
        """Turn one response into a result, a reason to retry (with Retry-After), or an exception."""
        text = resp.text if resp.content else ""
        parsed, malformed = _parse_json(text)
        status = resp.status_code
        headers = dict(resp.headers)
        if 200 <= status < 300:
            if malformed:
                self._record(method, path, query, body, status, text, t0, attempt, started, error="malformed JSON")
                if idempotent and not last:
                    return ("malformed", None)
                raise ProviderError(
                    ProviderErrorKind.MALFORMED,
                    f"{self.provider} answered {method} {path} with a body that is not JSON",
                    status=status,
                    maybe_committed=not idempotent,
                )
            self._record(method, path, query, body, status, parsed, t0, attempt, started, size=len(text))
            return HttpResponse(status, parsed, headers)
        retry_after = parse_retry_after(resp.headers.get("Retry-After"), now=self._wall())
        self._record(
            method,
            path,
            query,
            body,
            status,
            text if malformed else parsed,
            t0,
            attempt,
            started,
            retry_after=retry_after,
        )
        error = self.error_parser(status, None if malformed else parsed, text, headers)
        error.status = status
        if retry_after is not None and error.retry_after is None:
            error.retry_after = retry_after
        if status in self.retry.retry_statuses and not last:
            if status == 429:
                # refused before processing (RFC 6585): safe to send again, even a create
                if retry_after is not None and retry_after > self.retry.max_retry_after:
                    raise error
                return ("rate_limited", retry_after)
            if idempotent:
                return ("server_error", retry_after)
        if status >= 500 and not idempotent:
            error.maybe_committed = True
        raise error

    def _wait(self, outcome: tuple[str, float | None], attempt: int) -> None:
        reason, retry_after = outcome
        delay = retry_after if retry_after is not None else self._backoff(attempt)
        if reason == "rate_limited" and self.bucket is not None:
            self.bucket.pause_for(delay)  # every thread of this account waits; acquire() sleeps
            return
        self._sleep(delay)

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with equal jitter: half fixed, half random."""
        ceiling = min(self.retry.backoff_max, self.retry.backoff_base * (2 ** (attempt - 1)))
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    def _record(
        self,
        method: str,
        path: str,
        query: Mapping[str, Any] | None,
        body: Any,
        status: int | None,
        response: Any,
        t0: float,
        attempt: int,
        started: datetime,
        *,
        error: str | None = None,
        retry_after: float | None = None,
        size: int | None = None,
    ) -> None:
        if self.recorder is None:
            return
        if size is not None and size > MAX_RECORDED_BODY and not isinstance(response, str):
            response = _summary(response, size)
        response = redact_text(response[:MAX_TEXT]) if isinstance(response, str) else redact(response)
        record = CallRecord(
            provider=self.provider,
            account=self.account,
            method=method,
            path=path,
            query=redact(dict(query or {})),
            request_body=redact(body),
            status=status,
            response_body=response,
            duration_ms=round((self._clock() - t0) * 1000, 3),
            attempt=attempt,
            started_at=started,
            error=redact_text(error) if error else None,
            retry_after=retry_after,
        )
        try:
            self.recorder(record)
        except Exception:  # a broken recorder must never break a provider call
            log.exception("call recorder failed for %s %s", method, path)


def _summary(body: Any, size: int) -> dict[str, Any]:
    """What a CallRecord keeps of a large JSON body."""
    summary: dict[str, Any] = {"_truncated": True, "bytes": size}
    if isinstance(body, Mapping):
        records = body.get("records")
        if isinstance(records, list):
            summary |= {
                "records": len(records),
                "page": body.get("page"),
                "totalRecords": body.get("totalRecords"),
                "first": records[0] if records else None,
            }
        else:
            summary["keys"] = sorted(str(k) for k in body)[:50]
    elif isinstance(body, list):
        summary |= {"items": len(body), "first": body[0] if body else None}
    return summary


def _parse_json(text: str) -> tuple[Any, bool]:
    """(parsed body or None, malformed?) for a response text."""
    if not text.strip():
        return None, False
    try:
        return json.loads(text), False
    except ValueError:
        return None, True


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]
