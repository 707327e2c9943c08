"""The one writer: atomic replacement, normal permissions, no temp files left, clear usage errors."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from partnermap import export
from partnermap.errors import UsageError
from partnermap.export import write_bytes, write_text


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def leftovers(directory) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_write_text_creates_the_file(tmp_path, umask_022):
    target = tmp_path / "map.html"
    result = write_text(target, "<p>日本</p>\n")
    assert result == target
    assert target.read_bytes() == "<p>日本</p>\n".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]


def test_write_text_replaces_the_target(tmp_path, umask_022):
    target = tmp_path / "map.html"
    target.write_text("old and longer content\n")
    inode = target.stat().st_ino
    write_text(target, "new\n")
    assert target.read_text() == "new\n"
    assert target.stat().st_ino != inode  # a new file renamed over the old one, not a rewrite in place
    assert leftovers(tmp_path) == []


def test_permissions_follow_the_umask_not_mkstemp(tmp_path, umask_022):
    target = tmp_path / "map.html"
    write_text(target, "x")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_permissions_under_a_strict_umask(tmp_path):
    old = os.umask(0o077)
    try:
        write_text(tmp_path / "private.html", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "private.html").stat().st_mode) == 0o600


def test_existing_restrictive_file_gets_normal_permissions(tmp_path, umask_022):
    target = tmp_path / "map.html"
    target.write_text("old")
    target.chmod(0o600)
    write_text(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_umask_is_restored(tmp_path, umask_022):
    write_text(tmp_path / "a.html", "x")
    assert os.umask(0o022) == 0o022


def test_interrupt_during_replace_keeps_the_old_file(tmp_path, monkeypatch, umask_022):
    target = tmp_path / "map.html"
    target.write_bytes(b"previous map\x00\xff")
    before = target.read_bytes()

    def interrupted(src, dst):
        assert os.path.basename(src).startswith(".pm-")
        assert os.path.exists(src)
        raise KeyboardInterrupt

    monkeypatch.setattr(export.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_text(target, "half-written new map")
    monkeypatch.undo()
    assert target.read_bytes() == before
    assert leftovers(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]


def test_os_error_during_write_is_a_usage_error_and_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "map.html"
    target.write_text("previous")

    def full(src, dst):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(export.os, "replace", full)
    with pytest.raises(UsageError) as exc:
        write_text(target, "new")
    monkeypatch.undo()
    assert str(exc.value) == f"{target}: cannot write ({os.strerror(errno.ENOSPC)})"
    assert exc.value.exit_code == 2
    assert target.read_text() == "previous"
    assert leftovers(tmp_path) == []


def test_writing_to_a_directory_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError) as exc:
        write_text(tmp_path, "x")
    assert exc.value.exit_code == 2
    assert str(exc.value) == f"{tmp_path}: is a directory; give a file name such as {tmp_path / 'partners.html'}"
    assert list(tmp_path.iterdir()) == []


def test_parent_that_is_a_file_is_a_usage_error(tmp_path):
    # chmod cannot stop root from writing; a parent that is a regular file stops everyone
    blocker = tmp_path / "output"
    blocker.write_text("I am a file")
    target = blocker / "map.html"
    with pytest.raises(UsageError) as exc:
        write_text(target, "x")
    assert exc.value.exit_code == 2
    assert str(exc.value) == f"{target}: cannot write here (File exists)"
    assert blocker.read_text() == "I am a file"


def test_grandparent_that_is_a_file_is_a_usage_error(tmp_path):
    blocker = tmp_path / "output"
    blocker.write_text("I am a file")
    target = blocker / "maps" / "map.html"
    with pytest.raises(UsageError) as exc:
        write_bytes(target, b"x")
    assert str(exc.value) == f"{target}: cannot write here (Not a directory)"
    assert exc.value.exit_code == 2


def test_one_missing_folder_is_created_a_deeper_typo_is_refused(tmp_path, umask_022):
    target = tmp_path / "a" / "map.html"
    write_bytes(target, b"\x89PNG")
    assert target.read_bytes() == b"\x89PNG"
    assert leftovers(target.parent) == []
    with pytest.raises(UsageError, match="does not exist"):
        write_bytes(tmp_path / "x" / "y" / "map.html", b"")
    assert not (tmp_path / "x").exists()


def test_symlinks_fifos_and_devices_are_refused(tmp_path):
    real = tmp_path / "real.html"
    real.write_text("keep")
    link = tmp_path / "link.html"
    link.symlink_to(real)
    with pytest.raises(UsageError, match="symbolic link"):
        write_text(link, "new")
    assert link.is_symlink() and real.read_text() == "keep"
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    with pytest.raises(UsageError, match="not a regular file"):
        write_text(fifo, "new")
    with pytest.raises(UsageError, match="not a regular file"):
        write_text("/dev/null", "new")
    assert leftovers(tmp_path) == []


def test_a_255_byte_name_works(tmp_path):
    name = "m" * 250 + ".html"
    assert len(name.encode()) == 255
    write_text(tmp_path / name, "ok")
    assert (tmp_path / name).read_text() == "ok"


def test_sigterm_during_the_write_removes_the_temp_file(tmp_path):
    import subprocess
    import sys
    import textwrap

    target = tmp_path / "map.html"
    target.write_text("previous")
    script = textwrap.dedent(f"""
        import os, signal
        from partnermap import export
        real = os.fdopen
        def slow(fd, mode):
            fh = real(fd, mode)
            os.kill(os.getpid(), signal.SIGTERM)  # arrives mid-write
            return fh
        export.os.fdopen = slow
        export.write_text({str(target)!r}, "new")
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert proc.returncode == -15  # died of SIGTERM, as it would have
    assert target.read_text() == "previous"
    assert leftovers(tmp_path) == []


def test_write_accepts_a_str_path(tmp_path):
    result = write_text(str(tmp_path / "s.html"), "ok")
    assert result == tmp_path / "s.html"
    assert result.read_text() == "ok"


def test_write_pieces_writes_text_and_bytes_in_order(tmp_path, monkeypatch):
    monkeypatch.setattr(export, "_SLICE", 4)  # text encoded a few characters at a time
    target = tmp_path / "page.html"
    export.write_pieces(target, ["<p>日本語の", b"QUJD", "テキスト</p>", ""])
    assert target.read_bytes() == "<p>日本語のQUJDテキスト</p>".encode()


def test_a_failing_piece_leaves_the_old_file(tmp_path):
    target = tmp_path / "page.html"
    target.write_text("old", encoding="utf-8")

    def pieces():
        yield "new start"
        raise UsageError("stopped half way")

    with pytest.raises(UsageError):
        export.write_pieces(target, pieces())
    assert target.read_text(encoding="utf-8") == "old" and os.listdir(tmp_path) == ["page.html"]
