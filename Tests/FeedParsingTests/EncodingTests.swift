import XCTest
import DyadCore
@testable import FeedParsing

/// Every legacy encoding the Russian and Chinese outlets use must come out as correct UTF-8.
final class EncodingTests: XCTestCase {
    private let russian = "Россия и Китай подписали соглашение о газе"
    private let russianDescription = "Москва и Пекин договорились о поставках газа по трубопроводу Сила Сибири."
    private let chinese = "中俄两国签署天然气合作协议"
    private let chineseDescription = "莫斯科和北京就通过西伯利亚力量管道供气达成一致。"

    private func check(_ file: String, title: String, encoding: String, wellFormed: Bool = true,
                       httpCharset: String? = nil, line: UInt = #line) throws {
        let f = try Fixture.parse("encodings/" + file, httpCharset: httpCharset)
        XCTAssertEqual(f.feed.title, title, "title of \(file)", line: line)
        XCTAssertEqual(f.entries.first?.title, title, "entry title of \(file)", line: line)
        XCTAssertEqual(f.encoding, encoding, "encoding of \(file)", line: line)
        XCTAssertEqual(f.wellFormed, wellFormed, "wellFormed of \(file): \(f.problems)", line: line)
    }

    func testCyrillicSingleByteEncodings() throws {
        try check("windows-1251.xml", title: russian, encoding: "windows-1251")
        try check("koi8-r.xml", title: russian, encoding: "koi8-r")
        try check("iso-8859-5.xml", title: russian, encoding: "iso-8859-5")
        let f = try Fixture.parse("encodings/windows-1251.xml")
        XCTAssertEqual(f.entries.first?.summary, russianDescription)
    }

    func testChineseAndJapaneseEncodings() throws {
        try check("gb2312.xml", title: chinese, encoding: "gb2312")
        try check("gbk.xml", title: chinese, encoding: "gbk")
        try check("gb18030.xml", title: chinese, encoding: "gb18030")
        try check("big5.xml", title: "中俄兩國簽署天然氣合作協議", encoding: "big5")
        try check("shift_jis.xml", title: "中国とロシアがガス協定に署名", encoding: "shift_jis")
        let f = try Fixture.parse("encodings/gb2312.xml")
        XCTAssertEqual(f.entries.first?.summary, chineseDescription)
    }

    func testUTF16AndUTF32() throws {
        try check("utf-16le-bom.xml", title: russian, encoding: "utf-16le")
        try check("utf-16be.xml", title: russian, encoding: "utf-16be")
        try check("utf-32le-bom.xml", title: russian, encoding: "utf-32le")
        let f = try Fixture.parse("encodings/utf-16be.xml")
        XCTAssertEqual(f.entries.first?.summary, chineseDescription)
    }

    func testUndeclaredCyrillicIsSniffed() throws {
        try check("undeclared-windows-1251.xml", title: russian, encoding: "windows-1251")
        try check("undeclared-koi8-r.xml", title: russian, encoding: "koi8-r")
    }

    func testHTTPCharsetOutranksXMLDeclaration() throws {
        // Bytes are windows-1251; the XML declaration wrongly says utf-8; the server says 1251.
        try check("http-charset-1251.xml", title: russian, encoding: "windows-1251", httpCharset: "windows-1251")
    }

    func testWrongDeclarationsAreRecoveredAndReported() throws {
        try check("declared-utf8-actually-1251.xml", title: russian, encoding: "windows-1251", wellFormed: false)
        try check("declared-latin1-actually-utf8.xml", title: russian, encoding: "utf-8", wellFormed: false)
        let f = try Fixture.parse("encodings/declared-utf8-actually-1251.xml")
        XCTAssertTrue(f.problems.contains { $0.contains("utf-8") }, "\(f.problems)")
    }

    func testCharsetNamesNormalize() {
        XCTAssertEqual(CharsetDetector.normalize("UTF8"), "utf-8")
        XCTAssertEqual(CharsetDetector.normalize("CP1251"), "windows-1251")
        XCTAssertEqual(CharsetDetector.normalize(" \"koi8-r\" "), "koi8-r")
        XCTAssertEqual(CharsetDetector.normalize("ISO8859-5"), "iso-8859-5")
    }

    func testDoubleEncodedUTF8IsRepaired() {
        let f = Fixture.parse(xml: "<rss version=\"2.0\"><channel><item><description>&#226;&#128;&#166;</description></item></channel></rss>")
        XCTAssertEqual(f.entries.first?.summary, "…")
    }
}

/// The HTTP charset outranks the declaration only when it fits the bytes.
final class HTTPCharsetConflictTests: XCTestCase {
    func testWrongHTTPDefaultYieldsToAFittingDeclaration() throws {
        // Server says utf-8 (a common default); the document is windows-1251 and says so.
        let f = try Fixture.parse("encodings/windows-1251.xml", httpCharset: "utf-8")
        XCTAssertEqual(f.encoding, "windows-1251")
        XCTAssertEqual(f.feed.title, "Россия и Китай подписали соглашение о газе")
        XCTAssertFalse(f.wellFormed)
        XCTAssertTrue(f.problems.contains { $0.contains("HTTP charset utf-8") }, "\(f.problems)")
    }

    func testImpossibleWideHTTPCharsetIsIgnored() throws {
        let f = try Fixture.parse("sample-rss2.xml", httpCharset: "utf-16")
        XCTAssertEqual(f.encoding, "utf-8")
        XCTAssertEqual(f.entries.count, 3)
        XCTAssertTrue(f.problems.contains { $0.contains("ignored") }, "\(f.problems)")
    }

    func testFittingHTTPCharsetIsSilent() throws {
        let f = try Fixture.parse("sample-rss2.xml", httpCharset: "UTF-8")
        XCTAssertTrue(f.wellFormed, "\(f.problems)")
    }
}
