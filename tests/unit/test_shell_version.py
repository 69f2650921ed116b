"""The offline shell's cache is renamed whenever a file in it changes."""

from infra import shell_version


def test_the_cache_name_matches_the_files_it_holds():
    text = shell_version.WORKER.read_text(encoding="utf-8")
    assert shell_version.current(text) == shell_version.expected(text), (
        "a file of the offline shell changed: run `python -m infra.shell_version`"
    )


def test_a_changed_file_changes_the_name(tmp_path, monkeypatch):
    (tmp_path / "index.html").write_text("<p>một</p>", encoding="utf-8")
    text = 'const VERSION = "x";\nconst PAGES = ["index.html"];\n'
    monkeypatch.setattr(shell_version, "SITE", tmp_path)
    before = shell_version.expected(text)
    (tmp_path / "index.html").write_text("<p>hai</p>", encoding="utf-8")
    assert shell_version.expected(text) != before
