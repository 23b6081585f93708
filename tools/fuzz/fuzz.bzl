"""duet_fuzz_target: one libFuzzer target for a loader, plus a test that replays its seed corpus.

A target is a file defining the libFuzzer entry point
    extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
(and optionally `extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv);`). It feeds the
bytes to the loader the way a user's file would reach it and returns 0; it must never crash,
hang, leak or let an exception escape on any input, and may `abort()` when a loaded result
breaks an invariant. Its seed corpus is the directory `corpus/<name>/` beside the BUILD file:
small valid files, interesting broken ones, and every crash reproducer the fuzzer found (the
file name says what it was: `crash-<what>.npy`).

    load("//tools/fuzz:fuzz.bzl", "duet_fuzz_target")
    duet_fuzz_target(
        name = "npy_fuzz",               # corpus in corpus/npy_fuzz/
        srcs = ["npy_fuzz.cc"],
        deps = ["//runtime"],
    )

makes
  <name>_corpus_test  a cc_test (default gcc toolchain, in `bazel test //...`, so CI and the
                      ASan job run it) that calls LLVMFuzzerTestOneInput on every corpus file;
  <name>              the fuzzer (tag "manual"). `./dev fuzz //pkg:<name> SECONDS` builds it with
                      `--config=fuzz` (clang, -fsanitize=fuzzer,address,undefined) and runs it
                      over a scratch copy of the corpus; outside that config the same binary is
                      a replay driver (`bazel run //pkg:<name> -- file...` reproduces a crash
                      under gcc).
Add new corpus files (reproducers above all) to `corpus/<name>/`; the test picks them up.
`corpus/<name>/generated/` holds inputs the fuzzer found that add coverage, minimized with
`<fuzzer> -merge=1 OUT corpus/<name> /tmp/duet-fuzz/<name>/corpus` (named by content hash).
"""

def duet_fuzz_target(name, srcs, deps = [], tags = []):
    corpus = native.glob(["corpus/%s/**" % name])
    if not corpus:
        fail("duet_fuzz_target %s: the seed corpus corpus/%s/ is empty" % (name, name))
    native.cc_library(
        name = name + "_lib",
        testonly = True,
        srcs = srcs,
        deps = deps,
        alwayslink = True,
    )
    native.cc_test(
        name = name + "_corpus_test",
        size = "small",
        args = ["$(locations %s)" % f for f in corpus],
        data = corpus,
        tags = tags,
        deps = [":" + name + "_lib", "//tools/fuzz:replay_main"],
    )
    native.cc_binary(
        name = name,
        testonly = True,
        linkopts = select({
            "//tools/fuzz:fuzzing": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
        tags = ["manual"] + tags,
        deps = [":" + name + "_lib"] + select({
            "//tools/fuzz:fuzzing": [],
            "//conditions:default": ["//tools/fuzz:replay_main"],
        }),
    )
