"""Every cataloger, the files it claims, and where its code lives.

The table is the single list of supported inputs: the walker, ``--help`` and the README's
capability table all read it. Implementations are imported on first use so a scan pays
only for the formats it meets.
"""

from __future__ import annotations

import fnmatch
import importlib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from sbomkit.catalog.interface import Cataloger


class Reads(StrEnum):
    """What a cataloger takes from its input; the README capability table shows these."""

    TRANSITIVE = "transitive"
    DIRECT = "direct flag"
    DEV = "dev scope"
    EDGES = "edges"
    LICENSES = "licenses"
    HASHES = "hashes"


@dataclass(frozen=True, slots=True)
class CatalogerSpec:
    name: str
    ecosystem: str
    target: str  # "module:Class"
    files: tuple[str, ...] = ()  # globs on the file name, or on "parent/name"
    dirs: tuple[str, ...] = ()  # globs on a directory name; the walker does not descend
    reads: frozenset[Reads] = frozenset()
    # Leading bytes that claim a file whatever its name (executables); see walker.
    magic: tuple[bytes, ...] = ()

    def claims_file(self, parent: str, name: str) -> bool:
        tail = f"{parent}/{name}"
        return any(fnmatch.fnmatchcase(tail if "/" in p else name, p) for p in self.files)

    def claims_dir(self, name: str) -> bool:
        return any(fnmatch.fnmatchcase(name, p) for p in self.dirs)

    def load(self) -> Cataloger:
        return _load(self.target)


@cache
def _load(target: str) -> Cataloger:
    module, _, cls = target.partition(":")
    return getattr(importlib.import_module(module), cls)()  # type: ignore[no-any-return]


_PY = "sbomkit.catalog.python"
_JS = "sbomkit.catalog.javascript"
_RS = "sbomkit.catalog.rust"
_JV = "sbomkit.catalog.java"
_NET = "sbomkit.catalog.dotnet"
_HS = "sbomkit.catalog.haskell"
_CPP = "sbomkit.catalog.cpp"
_RB = "sbomkit.catalog.ruby"
_SWIFT = "sbomkit.catalog.swift"
_GO = "sbomkit.catalog.golang"
R = Reads
_ALL = frozenset(Reads)
_NO_LICENSE = _ALL - {R.LICENSES}

# ELF, PE (MZ), Mach-O 32/64-bit in both byte orders.
EXECUTABLE_MAGIC = (
    b"\x7fELF",
    b"MZ",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # fat Mach-O (or a Java class file: the readers tell them apart)
    b"\xca\xfe\xba\xbf",
)

CATALOGERS: tuple[CatalogerSpec, ...] = (
    CatalogerSpec(
        "python-requirements",
        "pypi",
        f"{_PY}.requirements_txt:RequirementsCataloger",
        files=("*requirements*.txt", "requirements/*.txt"),
        # direct flags and edges come from pip-compile / uv "# via" annotations when present
        reads=frozenset({R.TRANSITIVE, R.DIRECT, R.EDGES, R.HASHES}),
    ),
    CatalogerSpec(
        "python-poetry-lock",
        "pypi",
        f"{_PY}.poetry_lock:PoetryLockCataloger",
        files=("poetry.lock",),
        reads=_NO_LICENSE - {R.HASHES},
    ),
    CatalogerSpec(
        "python-pipfile-lock",
        "pypi",
        f"{_PY}.pipfile_lock:PipfileLockCataloger",
        files=("Pipfile.lock",),
        reads=frozenset({R.TRANSITIVE, R.DEV, R.DIRECT}),
    ),
    CatalogerSpec(
        "python-uv-lock",
        "pypi",
        f"{_PY}.uv_lock:UvLockCataloger",
        files=("uv.lock",),
        reads=_NO_LICENSE,
    ),
    CatalogerSpec(
        "python-pdm-lock",
        "pypi",
        f"{_PY}.pdm_lock:PdmLockCataloger",
        files=("pdm.lock",),
        reads=_NO_LICENSE - {R.HASHES},
    ),
    CatalogerSpec(
        "python-pylock",
        "pypi",
        f"{_PY}.pylock_toml:PylockCataloger",
        files=("pylock.toml", "pylock.*.toml"),
        reads=_NO_LICENSE,
    ),
    CatalogerSpec(
        "python-installed",
        "pypi",
        f"{_PY}.installed:InstalledCataloger",
        dirs=("site-packages", "dist-packages"),
        reads=frozenset({R.TRANSITIVE, R.DIRECT, R.EDGES, R.LICENSES}),
    ),
    CatalogerSpec(
        "npm-package-lock",
        "npm",
        f"{_JS}.package_lock:PackageLockCataloger",
        files=("package-lock.json", "npm-shrinkwrap.json"),
        reads=_ALL,
    ),
    CatalogerSpec(
        "yarn-lock",
        "npm",
        f"{_JS}.yarn_lock:YarnLockCataloger",
        files=("yarn.lock",),
        reads=_NO_LICENSE,
    ),
    CatalogerSpec(
        "pnpm-lock",
        "npm",
        f"{_JS}.pnpm_lock:PnpmLockCataloger",
        files=("pnpm-lock.yaml",),
        reads=_NO_LICENSE,
    ),
    CatalogerSpec(
        "bun-lock",
        "npm",
        f"{_JS}.bun_lock:BunLockCataloger",
        files=("bun.lock",),
        reads=_NO_LICENSE,
    ),
    CatalogerSpec(
        "npm-installed",
        "npm",
        f"{_JS}.node_modules:NodeModulesCataloger",
        dirs=("node_modules",),
        reads=_ALL,
    ),
    CatalogerSpec(
        "cargo-lock",
        "cargo",
        f"{_RS}.cargo_lock:CargoLockCataloger",
        files=("Cargo.lock",),
        reads=_NO_LICENSE,
    ),
    CatalogerSpec(
        "maven-pom",
        "maven",
        f"{_JV}.pom_xml:PomCataloger",
        files=("pom.xml",),
        reads=frozenset({R.DIRECT, R.DEV, R.EDGES}),
    ),
    CatalogerSpec(
        "nuget-packages-lock",
        "nuget",
        f"{_NET}.packages_lock:NugetPackagesLockCataloger",
        files=("packages.lock.json",),
        reads=frozenset({R.TRANSITIVE, R.DIRECT, R.EDGES, R.HASHES}),
    ),
    CatalogerSpec(
        "dotnet-deps-json",
        "nuget",
        f"{_NET}.deps_json:DotnetDepsCataloger",
        files=("*.deps.json",),
        reads=frozenset({R.TRANSITIVE, R.DIRECT, R.EDGES, R.HASHES}),
    ),
    CatalogerSpec(
        "nuget-packages-config",
        "nuget",
        f"{_NET}.packages_config:NugetPackagesConfigCataloger",
        files=("packages.config",),
        reads=frozenset({R.TRANSITIVE, R.DEV}),
    ),
    CatalogerSpec(
        "msbuild-project",
        "nuget",
        f"{_NET}.csproj:MsbuildProjectCataloger",
        files=("*.csproj", "*.fsproj", "*.vbproj"),
        reads=frozenset({R.DIRECT, R.DEV, R.EDGES}),
    ),
    CatalogerSpec(
        "haskell-cabal-freeze",
        "hackage",
        f"{_HS}.cabal_freeze:CabalFreezeCataloger",
        files=("cabal.project.freeze",),
        reads=frozenset({R.TRANSITIVE, R.DEV}),
    ),
    CatalogerSpec(
        "haskell-stack-lock",
        "hackage",
        f"{_HS}.stack_lock:StackLockCataloger",
        files=("stack.yaml.lock",),
        reads=frozenset(),  # lists only packages added to the snapshot
    ),
    CatalogerSpec(
        "r-renv-lock",
        "cran",
        "sbomkit.catalog.r.renv_lock:RenvLockCataloger",
        files=("renv.lock",),
        reads=frozenset({R.TRANSITIVE, R.EDGES}),
    ),
    CatalogerSpec(
        "conan-lock",
        "conan",
        f"{_CPP}.conan_lock:ConanLockCataloger",
        files=("conan.lock",),
        reads=frozenset({R.TRANSITIVE, R.DIRECT, R.DEV, R.EDGES}),
    ),
    CatalogerSpec(
        "vcpkg-manifest",
        "generic",
        f"{_CPP}.vcpkg_json:VcpkgManifestCataloger",
        files=("vcpkg.json",),
        reads=frozenset({R.DIRECT, R.DEV, R.EDGES}),
    ),
    CatalogerSpec(
        "gradle-lockfile",
        "maven",
        f"{_JV}.gradle_lockfile:GradleLockCataloger",
        files=("gradle.lockfile", "buildscript-gradle.lockfile"),
        reads=frozenset({R.TRANSITIVE, R.DEV}),
    ),
    CatalogerSpec(
        "gradle-verification-metadata",
        "maven",
        f"{_JV}.gradle_verification:GradleVerificationCataloger",
        files=("gradle/verification-metadata.xml",),
        reads=frozenset({R.TRANSITIVE, R.HASHES}),
    ),
    CatalogerSpec(
        "java-archive",
        "maven",
        f"{_JV}.jar:JarCataloger",
        files=("*.jar", "*.war", "*.ear"),
        reads=frozenset({R.TRANSITIVE, R.EDGES, R.LICENSES, R.HASHES}),
    ),
    CatalogerSpec(
        "ruby-gemfile-lock",
        "gem",
        f"{_RB}.gemfile_lock:GemfileLockCataloger",
        files=("Gemfile.lock", "gems.locked"),
        reads=_NO_LICENSE,
    ),
    CatalogerSpec(
        "ruby-installed-gemspec",
        "gem",
        f"{_RB}.gemspec:InstalledGemspecCataloger",
        files=("specifications/*.gemspec",),
        reads=frozenset({R.TRANSITIVE, R.LICENSES}),
    ),
    CatalogerSpec(
        "php-composer-lock",
        "composer",
        "sbomkit.catalog.php.composer_lock:ComposerLockCataloger",
        files=("composer.lock",),
        reads=_ALL,
    ),
    CatalogerSpec(
        "dart-pubspec-lock",
        "pub",
        "sbomkit.catalog.dart.pubspec_lock:PubspecLockCataloger",
        files=("pubspec.lock",),
        reads=frozenset({R.TRANSITIVE, R.DIRECT, R.DEV, R.HASHES}),
    ),
    CatalogerSpec(
        "elixir-mix-lock",
        "hex",
        "sbomkit.catalog.elixir.mix_lock:MixLockCataloger",
        files=("mix.lock",),
        reads=frozenset({R.TRANSITIVE, R.EDGES, R.HASHES}),
    ),
    CatalogerSpec(
        "swift-package-resolved",
        "swift",
        f"{_SWIFT}.package_resolved:SwiftPackageResolvedCataloger",
        files=("Package.resolved",),
        reads=frozenset({R.TRANSITIVE}),
    ),
    CatalogerSpec(
        "cocoapods-podfile-lock",
        "cocoapods",
        f"{_SWIFT}.podfile_lock:PodfileLockCataloger",
        files=("Podfile.lock",),
        reads=frozenset({R.TRANSITIVE, R.DIRECT, R.EDGES}),
    ),
    CatalogerSpec(
        "go-mod",
        "golang",
        f"{_GO}.go_mod:GoModCataloger",
        files=("go.mod",),
        reads=frozenset({R.TRANSITIVE, R.DIRECT, R.EDGES}),
    ),
    CatalogerSpec(
        "go-sum",  # only where no go.mod sits beside it
        "golang",
        f"{_GO}.go_sum:GoSumCataloger",
        files=("go.sum",),
        reads=frozenset({R.TRANSITIVE}),
    ),
    CatalogerSpec(
        "go-vendor",
        "golang",
        f"{_GO}.vendor_modules:GoVendorCataloger",
        files=("vendor/modules.txt",),
        reads=frozenset({R.TRANSITIVE, R.DIRECT}),
    ),
    CatalogerSpec(
        "binary",
        "golang, cargo",
        "sbomkit.catalog.binary:BinaryCataloger",
        magic=EXECUTABLE_MAGIC,
        reads=frozenset({R.TRANSITIVE, R.EDGES}),
    ),
)

BY_NAME: dict[str, CatalogerSpec] = {s.name: s for s in CATALOGERS}
