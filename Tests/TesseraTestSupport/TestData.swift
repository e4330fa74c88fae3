#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing

/// The data files tests read: the small public ones in `Tests/Data` (in the repository, listed in its
/// MANIFEST.md), and the larger or differently licensed ones that `scripts/fetch-test-data.sh` puts in
/// `.test-data/`.
///
/// ```swift
/// guard let folder = TestData.require("fcs") else { return }
///
/// @Test(.enabled(if: TestData.isAvailable("sequences/oct4_mafk/oct4.train.fa.gz"),
///                TestData.missingNote("sequences/oct4_mafk/oct4.train.fa.gz")))
/// func readsTheOct4Peaks() throws { … }
/// ```
public enum TestData {
    /// The script that fetches the files kept outside the repository.
    public static let fetchScript = "scripts/fetch-test-data.sh"

    /// The package root: the nearest folder above `file` that holds `Package.swift`.
    public static func packageRoot(file: StaticString = #filePath) -> String {
        var components = "\(file)".split(separator: "/", omittingEmptySubsequences: false).dropLast()
        while !components.isEmpty {
            let candidate = components.joined(separator: "/")
            if access(candidate + "/Package.swift", F_OK) == 0 { return candidate }
            components = components.dropLast()
        }
        return "."
    }

    /// Where `relative` (a file or folder) is: in `Tests/Data`, else in `.test-data`; nil when in neither.
    public static func path(_ relative: String, file: StaticString = #filePath) -> String? {
        let root = packageRoot(file: file)
        return [root + "/Tests/Data/" + relative, root + "/.test-data/" + relative].first { access($0, R_OK) == 0 }
    }

    /// Whether a test of `relative` should run: the file is here, or this is CI (where a missing file
    /// must fail rather than skip).
    public static func isAvailable(_ relative: String, file: StaticString = #filePath) -> Bool {
        path(relative, file: file) != nil || getenv("CI") != nil
    }

    /// The one line a test that needs `relative` says when the file is missing.
    public static func missingNote(_ relative: String) -> Comment {
        Comment(rawValue: "test data \(relative) is missing: run \(fetchScript)")
    }

    /// The path of `relative`, or nil after recording a failure that names the file and the script.
    public static func require(_ relative: String, file: StaticString = #filePath,
                               sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        guard let found = path(relative, file: file) else {
            Issue.record(missingNote(relative), sourceLocation: sourceLocation)
            return nil
        }
        return found
    }
}
