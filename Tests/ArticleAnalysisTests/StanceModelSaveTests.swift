import XCTest
import DyadCore
import ArticleAnalysis

/// `StanceModel.write` goes through `AtomicFile`: a write that fails (disk full, directory not
/// writable) throws the project's `POSIXFailure` with the path, and the previous model stays whole.
final class StanceModelSaveTests: XCTestCase {
    func testFailedSaveKeepsThePreviousModelAndThrowsPOSIXFailure() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stance-save-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("model.json")
        let old = StanceModel(bias: [0.1, 0.2, -0.3], weights: ["w:glorp": [-1, 0, 1]])
        try old.write(to: url)
        XCTAssertEqual(try StanceModel.load(url), old)
        let before = try Data(contentsOf: url)

        // The temporary file cannot be created: a directory stands where it would go.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(".model.json.tmp-\(getpid())"),
                                                withIntermediateDirectories: true)
        let new = StanceModel(bias: [1, 2, 3], weights: ["w:zibble": [1, 0, -1]])
        XCTAssertThrowsError(try new.write(to: url)) { error in
            let failure = error as? POSIXFailure
            XCTAssertNotNil(failure, "\(error)")
            XCTAssertTrue(failure?.description.contains(dir.path) ?? false, "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: url), before)
        XCTAssertEqual(try StanceModel.load(url), old)
    }
}
