"""One error type for the API and one JSON body for every error.

Body: ``{"error": {"status": 403, "code": "srv-forbidden", "message": "...", "details": [...]}}``;
the message is in the language the request's Accept-Language asks for (English or Japanese).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from sbomkit.i18n import Msg, render


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: Msg,
        details: list[str] | None = None,
        headers: dict[str, str] | None = None,
        **params: object,
    ) -> None:
        super().__init__(code.value)
        self.status = status
        self.code = code
        self.details = details or []
        self.headers = headers
        self.params = params


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str
    details: list[str]


class ErrorBody(BaseModel):
    """The body of every error response, as the OpenAPI document declares it."""

    error: ErrorDetail


_MEANING = {
    400: "The request body could not be parsed",
    401: "No API key, or an unknown, revoked or expired one",
    403: "The caller may see the resource but lacks the permission",
    404: "No such resource, or one the caller may not see",
    409: "The name is taken",
    413: "The upload is larger than the server's limit",
    422: "The request or the SBOM is not valid",
    429: "Too many failed logins for this name; see Retry-After",
}


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for these error statuses, all with ``ErrorBody``."""
    return {s: {"model": ErrorBody, "description": _MEANING[s]} for s in statuses}


def lang_of(request: Request) -> str:
    accept = request.headers.get("accept-language", "")
    return "ja" if accept.lower().lstrip().startswith("ja") else "en"


def body(status: int, code: str, message: str, details: list[str]) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message, "details": details}}


def _bad_request(request: Request, detail: str) -> JSONResponse:
    message = render(Msg.SRV_BAD_REQUEST, lang_of(request))
    return JSONResponse(body(422, Msg.SRV_BAD_REQUEST.value, message, [detail]), 422)


class RejectNul:
    """Refuses a URL holding a NUL character, for every route, before any query runs:
    PostgreSQL can neither store nor compare text with NUL, and no name or id has one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        query = scope.get("query_string", b"")
        if scope["type"] == "http" and (
            "\x00" in scope.get("path", "") or b"%00" in query or b"\x00" in query
        ):
            response = _bad_request(Request(scope), "URL: NUL character")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def install(app: FastAPI) -> None:
    app.add_middleware(RejectNul)

    @app.exception_handler(DataError)
    async def _unstorable(request: Request, exc: DataError) -> JSONResponse:
        # The last line of defence, for values no model bounds: PostgreSQL refuses text
        # longer than its column, numbers out of range and NUL characters.
        return _bad_request(
            request,
            "a value does not fit the database (too long, out of range, or with a NUL character)",
        )

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        message = render(exc.code, lang_of(request), None, "", **exc.params)
        content = body(exc.status, exc.code.value, message, exc.details)
        return JSONResponse(content, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            f"{'/'.join(str(p) for p in err.get('loc', ()))}: {err.get('msg', '')}"
            for err in exc.errors()
        ]
        message = render(Msg.SRV_BAD_REQUEST, lang_of(request))
        return JSONResponse(body(422, Msg.SRV_BAD_REQUEST.value, message, details), 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = Msg.SRV_NOT_FOUND if exc.status_code == 404 else Msg.SRV_BAD_REQUEST
        message = render(code, lang_of(request), what=request.url.path)
        detail = [str(exc.detail)] if exc.detail else []
        return JSONResponse(
            body(exc.status_code, code.value, message, detail),
            exc.status_code,
            headers=getattr(exc, "headers", None),
        )
