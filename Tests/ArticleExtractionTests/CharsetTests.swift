import ArticleExtraction
import XCTest

/// Pages in legacy charsets, declared in the page, in HTTP only, or not at all.
final class CharsetTests: XCTestCase {
    let extractor = ArticleExtractor()

    static let russian = """
        Россия и Китай подписали долгосрочное соглашение о поставках газа во вторник, после нескольких месяцев переговоров.
        Аналитики считают, что соглашение, охватывающее поставки по трубопроводу, цены и совместный фонд, укрепит связи.
        """
    static let chinese = """
        中俄两国政府周二签署了一项长期供应协议，此前双方进行了数月的谈判，官员称这是一个里程碑。\
        分析人士表示，该协议涵盖管道输送、价格和联合基金，将加深自二零一四年以来不断发展的关系，尽管许多细节尚不清楚。\
        去年两国贸易增长了三分之一，能源占最大份额，其次是机械、木材和农产品。
        """

    func page(_ text: String, meta: String) -> String {
        "<html><head>\(meta)<title>T</title></head><body><article><p>\(text)</p><p>\(text)</p></article></body></html>"
    }

    func testWindows1251DeclaredInMetaCharset() {
        let bytes = Pages.encode(page(Self.russian, meta: "<meta charset=\"windows-1251\">"), as: "WINDOWS-1251")
        let result = extractor.extract(html: bytes, baseURL: nil, httpCharset: nil)
        XCTAssertEqual(result.encoding, "windows-1251")
        XCTAssertTrue(result.text.contains("Россия и Китай подписали"), result.text)
        XCTAssertEqual(result.verdict, .extracted)
    }

    func testGBKDeclaredInHttpEquiv() {
        let meta = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\">"
        let bytes = Pages.encode(page(Self.chinese, meta: meta), as: "GBK")
        let result = extractor.extract(html: bytes, baseURL: nil, httpCharset: nil)
        XCTAssertTrue(result.text.contains("中俄两国政府周二签署了"), result.text)
        XCTAssertEqual(result.verdict, .extracted)
    }

    func testHTTPCharsetOutranksAWrongMetaCharset() {
        let bytes = Pages.encode(page(Self.russian, meta: "<meta charset=\"iso-8859-1\">"), as: "WINDOWS-1251")
        let result = extractor.extract(html: bytes, baseURL: nil, httpCharset: "windows-1251")
        XCTAssertTrue(result.text.contains("Россия и Китай"), result.text)
    }

    func testUndeclaredWindows1251AndGB18030AreSniffed() {
        let ru = extractor.extract(html: Pages.encode(page(Self.russian, meta: ""), as: "WINDOWS-1251"), baseURL: nil, httpCharset: nil)
        XCTAssertTrue(ru.text.contains("Россия и Китай"), ru.text)
        let zh = extractor.extract(html: Pages.encode(page(Self.chinese, meta: ""), as: "GB18030"), baseURL: nil, httpCharset: nil)
        XCTAssertTrue(zh.text.contains("中俄两国政府"), zh.text)
    }

    func testUTF8ByteOrderMarkWins() {
        let bytes = [0xEF, 0xBB, 0xBF] + Array(page(Self.russian, meta: "<meta charset=\"koi8-r\">").utf8)
        let result = extractor.extract(html: bytes, baseURL: nil, httpCharset: nil)
        XCTAssertTrue(result.text.contains("Россия и Китай"), result.text)
    }

    func testUTF16PageWithByteOrderMark() {
        let bytes = Pages.encode(page(Self.chinese, meta: ""), as: "UTF-16")  // iconv writes a BOM
        let result = extractor.extract(html: bytes, baseURL: nil, httpCharset: nil)
        XCTAssertTrue(result.text.contains("中俄两国政府"), result.text)
    }
}
