#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TesseraTestSupport
@testable import Tessera

@Suite("Build info")
struct BuildInfoTests {
    /// Built from this git checkout, the library records its commit: 40 hex digits.
    @Test func recordsTheCommitOfTheCheckout() throws {
        let root = TestData.packageRoot()
        guard access(root + "/.git", F_OK) == 0 else {
            #expect(BuildInfo.commit == nil && BuildInfo.commitDescription == "commit unknown")
            return
        }
        let commit = try #require(BuildInfo.commit)
        #expect(commit.count == 40 && commit.allSatisfy(\.isHexDigit), "\(commit)")
        #expect(BuildInfo.commitDescription.hasPrefix("commit \(commit.prefix(12))"))
    }

    @Test func versionIsSemantic() {
        let core = BuildInfo.version.split(separator: "-").first ?? ""
        #expect(core.split(separator: ".").count == 3 && core.split(separator: ".").allSatisfy { Int($0) != nil },
                "\(BuildInfo.version)")
    }
}
