import Foundation
import PackagePlugin

/// Records the commit Tessera is built from: before every build, writes `GeneratedBuildInfo.swift`
/// (the commit of the package's git checkout, whether the sources differ from it, or nothing when the
/// package is not a git checkout) into the target, rewriting it only when that changes.
@main
struct BuildInfo: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "generated")
        return [.prebuildCommand(
            displayName: "Recording the commit Tessera is built from",
            executable: URL(fileURLWithPath: "/bin/sh"),
            arguments: ["-c", Self.script, "build-info", context.package.directoryURL.path, output.path],
            outputFilesDirectory: output)]
    }

    /// `$1`: the package folder, `$2`: where the Swift file goes.
    static let script = #"""
        set -e
        mkdir -p "$2"
        commit=$(git -C "$1" rev-parse --verify -q HEAD 2>/dev/null || true)
        changed=false
        if [ -n "$commit" ] && [ -n "$(git -C "$1" status --porcelain --untracked-files=no -- Sources Package.swift 2>/dev/null)" ]; then
            changed=true
        fi
        if [ -n "$commit" ]; then value="\"$commit\""; else value=nil; fi
        text="// Written by the BuildInfo plugin before every build; not in git.
        enum GeneratedBuildInfo {
            static let commit: String? = $value
            static let hasLocalChanges = $changed
        }"
        if [ ! -f "$2/GeneratedBuildInfo.swift" ] || [ "$(cat "$2/GeneratedBuildInfo.swift")" != "$text" ]; then
            printf '%s\n' "$text" > "$2/GeneratedBuildInfo.swift.tmp"
            mv "$2/GeneratedBuildInfo.swift.tmp" "$2/GeneratedBuildInfo.swift"
        fi
        """#
}
