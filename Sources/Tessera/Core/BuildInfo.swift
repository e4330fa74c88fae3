/// The version of this Tessera and the commit it was built from.
///
/// The commit is recorded when the binary is built (by the package's BuildInfo plugin), not read from
/// whatever repository the program runs in, so a copied binary still says where it came from.
///
/// ```swift
/// print("Tessera \(BuildInfo.version) \(BuildInfo.commitDescription)")   // Tessera 0.1.0-dev commit 9d5becc6a1f2
/// ```
public enum BuildInfo {
    /// The release this is, or the next one with `-dev`.
    public static let version = "0.1.0-dev"

    /// The full commit hash the sources were at, or nil when they were not built from a git checkout.
    public static var commit: String? { GeneratedBuildInfo.commit }

    /// Whether the sources had changes not yet committed when they were built.
    public static var hasLocalChanges: Bool { GeneratedBuildInfo.hasLocalChanges }

    /// `commit 9d5becc6a1f2`, with ` + local changes` when the sources differed from it, or
    /// `commit unknown`.
    public static var commitDescription: String {
        guard let commit else { return "commit unknown" }
        return "commit \(commit.prefix(12))" + (hasLocalChanges ? " + local changes" : "")
    }
}
