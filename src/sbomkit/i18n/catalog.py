"""Message texts: code -> (English, Japanese). Keep both columns in step."""

TEXT: dict[str, tuple[str, str]] = {
    "file-unreadable": ("cannot read file", "ファイルを読み込めません"),
    "file-too-large": ("file is larger than the limit", "ファイルが上限サイズを超えています"),
    "wrong-format": ("not a file of the expected format", "想定した形式のファイルではありません"),
    "unsupported-version": ("unsupported format version", "対応していない形式バージョンです"),
    "path-not-found": ("no such file or directory", "ファイルまたはディレクトリがありません"),
    "nothing-found": (
        "no supported lockfile, manifest or package metadata found",
        "対応するロックファイル・マニフェスト・パッケージ情報が見つかりません",
    ),
    "bad-option": ("invalid option", "オプションが正しくありません"),
    "internal": (
        "internal error; please report it with --verbose output",
        "内部エラーです。--verbose の出力を添えて報告してください",
    ),
    "missing-name": (
        "entry has no package name; skipped",
        "パッケージ名がないため項目をスキップしました",
    ),
    "missing-version": ("package has no version", "パッケージにバージョンがありません"),
    "invalid-entry": ("entry cannot be read", "項目を読み取れません"),
    "duplicate-entry": (
        "duplicate entry; first one kept",
        "重複した項目です。最初の項目を採用しました",
    ),
    "unpinned": (
        "requirement is not pinned to one version",
        "要件が単一のバージョンに固定されていません",
    ),
    "unresolved-include": ("included file not found", "参照されたファイルが見つかりません"),
    "non-registry-source": (
        "package comes from outside a registry",
        "パッケージはレジストリ以外から取得されています",
    ),
    "unknown-dependency": (
        "dependency refers to a package the file does not list",
        "依存先のパッケージがファイル内に記載されていません",
    ),
    "symlink-outside-root": (
        "symbolic link points outside the scanned directory; not followed",
        "シンボリックリンクが走査対象の外を指しているため辿りません",
    ),
    "summary-title": ("Components found", "検出したコンポーネント"),
    "col-ecosystem": ("Ecosystem", "エコシステム"),
    "col-components": ("Components", "コンポーネント数"),
    "col-direct": ("Direct", "直接依存"),
    "col-dev": ("Dev only", "開発用のみ"),
    "col-files": ("Files", "ファイル数"),
    "total": ("Total", "合計"),
    "wrote": ("wrote {path} ({fmt})", "{path} に書き出しました ({fmt})"),
    "warnings-header": ("{count} problem(s) in the input", "入力の問題 {count} 件"),
    "scanning": ("Scanning {path}", "{path} を走査中"),
}
