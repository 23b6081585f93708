"""whole_archive_shared_library: one .so holding every object its deps' closure links.

A plain `cc_binary(linkshared = True)` links a dependency's objects only when a symbol refers to
them (`--start-lib`), so a library like libduet.so, which no code inside it calls, would lose most
of the public API (saved_model::load, ...) and any static registrar not marked alwayslink. This
rule relinks the same PIC archives with `--whole-archive` (marking each one alwayslink), keeping
the normal build's flags and objects: nothing is recompiled.

Example:
    whole_archive_shared_library(name = "duet", deps = ["//api:duet"])   # -> libduet.so
"""

load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain")

def _whole_archive(ctx, feature_configuration, cc_toolchain, lib):
    pic = lib.pic_static_library or lib.static_library
    if not pic:
        return lib  # a prebuilt shared library: link it as it is
    return cc_common.create_library_to_link(
        actions = ctx.actions,
        feature_configuration = feature_configuration,
        cc_toolchain = cc_toolchain,
        pic_static_library = pic,
        alwayslink = True,
    )

def _impl(ctx):
    cc_toolchain = find_cpp_toolchain(ctx)
    feature_configuration = cc_common.configure_features(
        ctx = ctx,
        cc_toolchain = cc_toolchain,
        requested_features = ctx.features,
        unsupported_features = ctx.disabled_features,
    )
    linker_inputs = []
    for dep in ctx.attr.deps:
        for li in dep[CcInfo].linking_context.linker_inputs.to_list():
            libs = [_whole_archive(ctx, feature_configuration, cc_toolchain, lib) for lib in li.libraries]
            linker_inputs.append(cc_common.create_linker_input(
                owner = li.owner,
                libraries = depset(libs),
                user_link_flags = depset(li.user_link_flags),
                additional_inputs = depset(li.additional_inputs),
            ))
    linking_context = cc_common.create_linking_context(
        linker_inputs = depset(linker_inputs, order = "topological"),
    )
    out = cc_common.link(
        actions = ctx.actions,
        feature_configuration = feature_configuration,
        cc_toolchain = cc_toolchain,
        linking_contexts = [linking_context],
        name = ctx.label.name,
        output_type = "dynamic_library",
        user_link_flags = ctx.attr.linkopts,
    )
    so = out.library_to_link.resolved_symlink_dynamic_library or out.library_to_link.dynamic_library
    return [DefaultInfo(files = depset([so]), runfiles = ctx.runfiles(files = [so]))]

whole_archive_shared_library = rule(
    implementation = _impl,
    attrs = {
        "deps": attr.label_list(providers = [CcInfo]),
        "linkopts": attr.string_list(),
        "_cc_toolchain": attr.label(default = Label("@bazel_tools//tools/cpp:current_cc_toolchain")),
    },
    fragments = ["cpp"],
    toolchains = ["@bazel_tools//tools/cpp:toolchain_type"],
)
