"""public_headers: the headers a public header includes, as a directory tree to install.

Runs the compiler's dependency scan (`g++ -MM`) on `hdr` with the workspace as the only
non-system include path, so the tree holds exactly the project headers `hdr` reaches
(paths kept: api/duet.h, runtime/tensor.h, ...). A header that includes MLIR/LLVM (or any
header only a Bazel dependency provides) fails the build here: installed headers must compile
with nothing but Debian's system include directories.

Example:
    public_headers(name = "headers", hdr = "//api:duet.h", deps = ["//api:duet"])
    # -> bazel-bin/<pkg>/headers/api/duet.h, .../runtime/tensor.h, ...
"""

def _impl(ctx):
    out = ctx.actions.declare_directory(ctx.label.name)
    cc = ctx.attr.deps[0][CcInfo].compilation_context
    own = [h for h in cc.headers.to_list() if h.owner.workspace_name == ""]
    hdr = ctx.file.hdr
    ctx.actions.run_shell(
        inputs = depset([hdr], transitive = [depset(own)]),
        outputs = [out],
        command = """set -euo pipefail
err=$(mktemp); trap 'rm -f "$err"' EXIT
rc=0; deps=$(/usr/bin/g++ -std=c++20 -x c++ -MM -MT x -I. -I"$2" "$1" 2>"$err") || rc=$?
if [ "$rc" != 0 ]; then
  echo "public_headers: $1 does not compile with system include directories only (g++ exit $rc):" >&2
  cat "$err" >&2; exit 1
fi
for f in $(echo "$deps" | sed -e 's/^x://' -e 's/\\\\$//'); do
  rel="${f#$2/}"; rel="${rel#./}"
  case "$rel" in /*) echo "public_headers: $rel is outside the workspace" >&2; exit 1 ;; esac
  mkdir -p "$3/$(dirname "$rel")"; cp "$f" "$3/$rel"
done
""",
        arguments = [hdr.path, ctx.bin_dir.path, out.path],
        mnemonic = "PublicHeaders",
        progress_message = "Collecting the headers %s includes" % hdr.short_path,
    )
    return [DefaultInfo(files = depset([out]), runfiles = ctx.runfiles(files = [out]))]

public_headers = rule(
    implementation = _impl,
    attrs = {
        "hdr": attr.label(allow_single_file = [".h"]),
        "deps": attr.label_list(providers = [CcInfo]),
    },
)
