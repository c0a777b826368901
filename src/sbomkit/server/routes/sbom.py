"""Uploading SBOMs (own API and Dependency-Track's) and exporting them, their VDR and VEX."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy import select

from sbomkit.formats.readers import get_reader
from sbomkit.formats.registry import WRITERS, get_writer
from sbomkit.i18n import Msg
from sbomkit.server.access import Permission, Principal
from sbomkit.server.config import Settings
from sbomkit.server.deps import Caller, Config, Db, RowId
from sbomkit.server.errors import ApiError
from sbomkit.server.ingest import match_inventory, store_upload
from sbomkit.server.parse import check_size, parse_upload
from sbomkit.server.projects import create_project, find_project, get_project
from sbomkit.server.tables import Document, Project
from sbomkit.server.vulnreport import scan_document

router = APIRouter(prefix="/api/v1", tags=["sbom"])


# The body is read raw (any SBOM format), so FastAPI cannot infer it; declared here so
# clients and the contract test know what to send.
SBOM_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "application/xml": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}


class UploadOut(BaseModel):
    token: str  # Dependency-Track clients poll /event/token/{token}
    project: int
    document: int
    components: int
    findings: int


async def _body(request: Request, settings: Settings) -> tuple[bytes, str | None]:
    """The SBOM bytes of a raw body or of a multipart form's ``bom``/``file`` part."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit():
        check_size(int(declared), settings)
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form(max_part_size=settings.max_upload_bytes)
        part = form.get("bom") or form.get("file")
        if part is None or isinstance(part, str):
            raise ApiError(422, Msg.SRV_BAD_REQUEST, details=["multipart: no 'bom' or 'file' part"])
        data = await part.read()
        check_size(len(data), settings)
        return data, part.filename
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        check_size(size, settings)
        chunks.append(chunk)
    return b"".join(chunks), None


def ingest(
    s: Db,
    caller: Principal,
    settings: Settings,
    target: Callable[[], Project],
    data: bytes,
    filename: str | None,
    shown: str,
) -> UploadOut:
    """Parse and validate first (no database work for a bad document), then store."""
    upload = parse_upload(data, filename or shown, settings)
    project = target()
    matched = match_inventory(upload.inventory, settings.advisories)
    doc = store_upload(s, project, upload, matched, caller.name, filename)
    return UploadOut(
        token=str(uuid.UUID(int=doc.id)),
        project=project.id,
        document=doc.id,
        components=project.components_count,
        findings=len(matched.findings),
    )


def _shown(name: str, version: str) -> str:
    return f"{name}@{version}" if version else name


@router.post(
    "/projects/{project_id}/sbom",
    response_model=UploadOut,
    status_code=201,
    openapi_extra=SBOM_BODY,
)
async def upload_to_project(
    project_id: RowId, request: Request, s: Db, caller: Caller, settings: Config
) -> UploadOut:
    """Raw body (any SBOM format sbomkit reads) or multipart with a ``file`` part."""
    data, filename = await _body(request, settings)

    def work() -> UploadOut:
        def target() -> Project:
            return get_project(s, caller, project_id, Permission.UPLOAD)

        return ingest(s, caller, settings, target, data, filename, f"project {project_id}")

    return await run_in_threadpool(work)


@router.post("/sbom", response_model=UploadOut, status_code=201, openapi_extra=SBOM_BODY)
async def upload_by_name(
    request: Request,
    s: Db,
    caller: Caller,
    settings: Config,
    name: Annotated[str, Query(min_length=1, max_length=300)],
    version: Annotated[str, Query(max_length=200)] = "",
    auto_create: Annotated[bool, Query(alias="autoCreate")] = False,
    parent: int | None = None,
    team: str | None = None,
) -> UploadOut:
    data, filename = await _body(request, settings)

    def work() -> UploadOut:
        def target() -> Project:
            return _resolve(s, caller, name, version, auto_create, parent, team)

        return ingest(s, caller, settings, target, data, filename, _shown(name, version))

    return await run_in_threadpool(work)


def _resolve(
    s: Db,
    caller: Principal,
    name: str,
    version: str,
    auto_create: bool,
    parent_id: int | None,
    team: str | None,
) -> Project:
    project = find_project(s, name, version)
    if project is not None:
        return get_project(s, caller, project.id, Permission.UPLOAD)
    if not auto_create:
        raise ApiError(404, Msg.SRV_NO_PROJECT, name=name, version=version)
    parent = get_project(s, caller, parent_id, Permission.UPLOAD) if parent_id is not None else None
    return create_project(s, caller, name, version, parent=parent, team=team)


class DtBom(BaseModel):
    """Dependency-Track's ``PUT /api/v1/bom`` body."""

    project: str | None = None  # a project UUID in Dependency-Track; here: our id
    projectName: str | None = Field(default=None, max_length=300)  # noqa: N815
    projectVersion: str | None = Field(default=None, max_length=200)  # noqa: N815
    autoCreate: bool = False  # noqa: N815
    parentName: str | None = None  # noqa: N815
    parentVersion: str | None = None  # noqa: N815
    bom: str


@router.put("/bom", response_model=UploadOut)
async def dt_put_bom(body: DtBom, s: Db, caller: Caller, settings: Config) -> UploadOut:
    """Dependency-Track compatible upload, so existing CI plugins work unchanged."""
    try:
        data = base64.b64decode(body.bom, validate=True)
    except (binascii.Error, ValueError) as e:
        raise ApiError(422, Msg.SRV_BAD_REQUEST, details=["bom: not base64"]) from e

    def target() -> Project:
        if body.project:
            if not body.project.isdigit():
                raise ApiError(404, Msg.SRV_NOT_FOUND, what=f"project {body.project}")
            return get_project(s, caller, int(body.project), Permission.UPLOAD)
        parent = None
        if body.parentName:
            parent = find_project(s, body.parentName, body.parentVersion or "")
            if parent is None:
                raise ApiError(
                    404, Msg.SRV_NO_PROJECT, name=body.parentName, version=body.parentVersion or ""
                )
        name, version = body.projectName or "", body.projectVersion or ""
        parent_id = parent.id if parent else None
        return _resolve(s, caller, name, version, body.autoCreate, parent_id, None)

    if not body.project and not body.projectName:
        raise ApiError(422, Msg.SRV_BAD_REQUEST, details=["project or projectName is required"])
    shown = body.project or _shown(body.projectName or "", body.projectVersion or "")

    def work() -> UploadOut:
        return ingest(s, caller, settings, target, data, None, shown)

    return await run_in_threadpool(work)


@router.get("/event/token/{token}")
def dt_token(token: str, caller: Caller) -> dict[str, bool]:
    """Uploads are processed before the response, so a token is never still processing."""
    return {"processing": False}


class DocumentOut(BaseModel):
    id: int
    format: str
    spec: str | None
    sha256: str
    size: int
    filename: str | None
    uploaded_at: dt.datetime
    uploader: str


@router.get("/projects/{project_id}/documents", response_model=list[DocumentOut])
def documents(project_id: RowId, s: Db, caller: Caller) -> list[DocumentOut]:
    get_project(s, caller, project_id, Permission.VIEW)
    rows = s.execute(
        select(Document).where(Document.project_id == project_id).order_by(Document.id.desc())
    ).scalars()
    return [
        DocumentOut(
            id=d.id,
            format=d.format,
            spec=d.spec,
            sha256=d.sha256,
            size=d.size,
            filename=d.filename,
            uploaded_at=d.uploaded_at,
            uploader=d.uploader,
        )
        for d in rows
    ]


@router.get("/projects/{project_id}/documents/{document_id}", response_class=Response)
def document(project_id: RowId, document_id: RowId, s: Db, caller: Caller) -> Response:
    """The uploaded bytes, unchanged."""
    get_project(s, caller, project_id, Permission.VIEW)
    doc = s.get(Document, document_id)
    if doc is None or doc.project_id != project_id:
        raise ApiError(404, Msg.SRV_NOT_FOUND, what=f"document {document_id}")
    return Response(doc.content, media_type="application/octet-stream")


def latest_document(s: Db, project_id: int) -> Document:
    doc = s.execute(
        select(Document)
        .where(Document.project_id == project_id)
        .order_by(Document.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if doc is None:
        raise ApiError(404, Msg.SRV_NOT_FOUND, what=f"SBOM of project {project_id}")
    return doc


@router.get("/projects/{project_id}/sbom", response_class=Response)
def export_sbom(
    project_id: RowId,
    s: Db,
    caller: Caller,
    format: Annotated[
        str, Query(description="original, or " + ", ".join(sorted(WRITERS)))
    ] = "original",
) -> Response:
    get_project(s, caller, project_id, Permission.VIEW)
    if format != "original" and format not in WRITERS:
        raise ApiError(
            422,
            Msg.SRV_BAD_REQUEST,
            details=[f"format: choose original or one of {', '.join(sorted(WRITERS))}"],
        )
    doc = latest_document(s, project_id)
    if format == "original":
        return Response(doc.content, media_type="application/octet-stream")
    writer = get_writer(format)
    inventory = get_reader(doc.format).read(doc.content, f"document {doc.id}")
    return Response(writer.write(inventory), media_type=writer.media_type)


@router.get("/projects/{project_id}/vdr", response_class=Response)
def export_vdr(project_id: RowId, s: Db, caller: Caller, settings: Config) -> Response:
    """CycloneDX 1.6 vulnerability disclosure report for the project's current SBOM."""
    project = get_project(s, caller, project_id, Permission.VIEW)
    return _report(s, project, settings, "cyclonedx-vdr")


@router.get("/projects/{project_id}/vex", response_class=Response)
def export_vex(
    project_id: RowId,
    s: Db,
    caller: Caller,
    settings: Config,
    format: Annotated[str, Query(pattern="^(cyclonedx-vex|openvex|csaf-vex)$")] = "cyclonedx-vex",
) -> Response:
    project = get_project(s, caller, project_id, Permission.VIEW)
    return _report(s, project, settings, format)


def _report(s: Db, project: Project, settings: Settings, fmt: str) -> Response:
    doc = latest_document(s, project.id)
    return Response(scan_document(s, project, doc, settings, fmt), media_type="application/json")
