"""The sole-proprietor SMS OTP request, as Telnyx and TCR both keep and show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .clock import iso


@dataclass
class SimOtp:
    """A sole-proprietor SMS OTP request (TCR ``SmsOtpStatus``; Telnyx's ``BrandRetrieveSMSOtpStatusResponse``
    has the same keys)."""

    reference_id: str
    pin: str
    mobile_phone: str
    request_date: datetime
    delivery_status: str = "IN_TRANSIT"
    delivery_status_date: datetime | None = None
    verify_date: datetime | None = None
    attempts: int = 0

    def wire(self, brand_id: str) -> dict[str, Any]:
        """The OTP status as the provider returns it."""
        return {
            "brandId": brand_id,
            "referenceId": self.reference_id,
            "mobilePhone": self.mobile_phone,
            "requestDate": iso(self.request_date),
            "verifyDate": iso(self.verify_date) if self.verify_date else None,
            "deliveryStatus": self.delivery_status,
            "deliveryStatusDate": iso(self.delivery_status_date) if self.delivery_status_date else None,
            "deliveryStatusDetails": None,
        }
