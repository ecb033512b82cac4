"""Twilio's error envelope ``{code, message, more_info, status}`` (twilio-python ``base/exceptions.py``
reads exactly these keys) and the codes the simulated A2P surface answers with.

- 20001 invalid/missing parameter ("Missing required parameter X in the post body"), 20003 authentication,
  20404 resource not found, 20429 too many requests, 20500 internal error (Twilio REST error dictionary);
- 21717 brand registration not registered / not valid, 30991 brand unverified, 30994 brand still pending
  (provider-apis.md §3.9, Twilio error pages); the simulator answers campaign creation against such brands
  with them at once, where Twilio may also accept the request and fail the campaign later;
- 21710 number already in this Messaging Service, 21712 number in another Messaging Service, 21606 number
  not SMS-capable: **[UNCONFIRMED]** code choices for Services/PhoneNumbers refusals (the messaging v1 spec
  lists no error codes).
"""

from __future__ import annotations

from typing import Any

from ..wire import ApiError


def body(status: int, code: int, message: str) -> dict[str, Any]:
    """The error body."""
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def error(status: int, code: int, message: str) -> ApiError:
    """An ApiError carrying Twilio's envelope."""
    return ApiError(status, body(status, code, message))


def missing(name: str) -> ApiError:
    """A required form parameter is absent."""
    return error(400, 20001, f"Missing required parameter {name} in the post body")


def invalid(name: str, detail: str) -> ApiError:
    """A form parameter has a value Twilio refuses."""
    return error(400, 20001, f"Invalid parameter {name}: {detail}")


def not_found(path: str) -> ApiError:
    """404 for an unknown SID."""
    return error(404, 20404, f"The requested resource {path} was not found")
