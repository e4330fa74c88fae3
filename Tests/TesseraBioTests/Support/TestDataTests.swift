#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TesseraTestSupport

@Suite("Test data lookup")
struct TestDataTests {
    @Test func repositoryFilesAreFoundInTestsData() throws {
        let path = try #require(TestData.path("fcs/cyflow_cube_8.fcs"))
        #expect(path == TestData.packageRoot() + "/Tests/Data/fcs/cyflow_cube_8.fcs")
    }

    /// A file the fetch script put in `.test-data` is found there.
    @Test func fetchedFilesAreFoundInTestData() throws {
        let folder = TestData.packageRoot() + "/.test-data"
        mkdir(folder, 0o755)
        let probe = folder + "/lookup-probe-\(getpid()).txt"
        #expect(creat(probe, 0o644) >= 0)
        defer { unlink(probe) }
        #expect(TestData.path("lookup-probe-\(getpid()).txt") == probe)
    }

    /// A missing file skips outside CI, fails in it, and says which file and which script.
    @Test func missingFilesNameTheFileAndTheScript() {
        #expect(TestData.path("sequences/none.fa") == nil)
        #expect(TestData.isAvailable("sequences/none.fa") == (getenv("CI") != nil))
        #expect(TestData.missingNote("sequences/none.fa").rawValue
                == "test data sequences/none.fa is missing: run scripts/fetch-test-data.sh")
    }
}
