import XCTest
import DyadCore
@testable import ArticleAnalysis

/// Rules of the held-out pass (issue 10, 2026-12-07): a partner named only as an envoy's posting or
/// inside the war's name is no party; a third party's own threat is its act; refusing sanctions
/// stands by the partner; a supportive slogan quoted against a critical word is not endorsed;
/// relationship nouns that need no names; vocabulary of the unseen styles. Every sentence was
/// written for these tests, in the styles of the outlets dyadwatch reads.
final class UnseenStyleTests: XCTestCase {
    func label(_ title: String, _ text: String = "", file: StaticString = #filePath, line: UInt = #line) -> StanceLabel? {
        let r = Shared.analyze(title, text)
        XCTAssertTrue(r.dyad.isDyad, "not a dyad: \(title) \(text)", file: file, line: line)
        return r.dyad.isDyad ? r.stance.label : nil
    }

    func assertLabel(_ title: String, text: String = "", _ expected: StanceLabel, file: StaticString = #filePath, line: UInt = #line) {
        let r = Shared.analyze(title, text)
        XCTAssertTrue(r.dyad.isDyad, "not a dyad: \(title) \(text)", file: file, line: line)
        XCTAssertEqual(r.stance.label, expected, "\(title) \(text): \(r.stance.score) \(r.stance.evidence.map(\.text))", file: file, line: line)
    }

    func assertNoDyad(_ title: String, file: StaticString = #filePath, line: UInt = #line) {
        let r = Shared.analyze(title)
        XCTAssertFalse(r.dyad.isDyad, "dyad: \(title) \(r.dyad.sentences)", file: file, line: line)
    }

    func assertDyad(_ title: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(Shared.analyze(title).dyad.isDyad, "not a dyad: \(title)", file: file, line: line)
    }

    /// "ambassador to Russia", "посол КНР в России", "驻俄罗斯大使": the posting is not a party.
    func testEnvoyPostingIsNotAParty() {
        assertNoDyad("Former Chinese ambassador to Russia appointed vice foreign minister")
        assertNoDyad("Бывший посол КНР в России назначен заместителем министра")
        assertNoDyad("中国驻俄罗斯大使出席画展开幕式")
        // Both still named as actors: the envoy meets the other side, or speaks of the ties.
        assertDyad("Chinese ambassador to Russia meets Lavrov")
        assertDyad("Russian ambassador to China: bilateral ties at their best")
        assertDyad("Посол России в Китае встретился с Ван И")
        assertDyad("俄罗斯驻华大使会见中国外长")
        // Mentions are kept: the posting is still Russia (resp. China) named.
        XCTAssertTrue(Shared.analyze("Former Chinese ambassador to Russia appointed vice foreign minister").sides.contains(.russia))
    }

    /// "Russia-Ukraine conflict", "俄乌冲突", "российско-украинский конфликт": the war's name.
    func testWarNameIsNotAParty() {
        assertNoDyad("Chinese scholar publishes book on Russia-Ukraine conflict")
        assertNoDyad("Китайский ученый издал книгу о российско-украинском конфликте")
        assertNoDyad("中国学者出版俄乌冲突新书")
        // A partner's position on the other's war is still about the pair.
        assertDyad("China supports Russia-Ukraine peace talks")
        assertDyad("China urges Russia, Ukraine to return to talks")
        assertDyad("中方支持俄乌和谈")
        // Talks between the two are not the war's name: a partner's view of them is about the pair.
        assertDyad("China welcomes Russia-Ukraine negotiations")
        assertDyad("中方欢迎俄乌谈判")
        assertDyad("Китай приветствует российско-украинские переговоры")
    }

    /// "US threat", "угрозы США", "美国威胁": the third party's own act, no verdict on the ties.
    func testThirdPartyThreatIsItsOwnAct() {
        for (t, x) in [("Chinese FM rejects US threat over Russian oil purchases", ""),
                       ("МИД КНР ответил на угрозы США из-за торговли с Россией", ""),
                       ("中方回应美国威胁", "中方表示将继续同俄罗斯开展正常贸易。")] {
            XCTAssertNotEqual(label(t, x), .critical, t)
        }
        // The pair itself called a threat stays critical.
        assertLabel("The China-Russia axis is a threat to Europe", .critical)
    }

    /// Refusing to impose sanctions on the partner stands by it; refusing the partner itself does not.
    func testRefusingSanctionsStandsByThePartner() {
        assertLabel("China refuses to impose sanctions on Russia", .supportive)
        assertLabel("Китай отказался вводить санкции против России", .supportive)
        assertLabel("中方拒绝对俄罗斯实施制裁", .supportive)
        assertLabel("China refuses to supply Russia with drones", .critical)
        assertLabel("Китай отказался поставлять России беспилотники", .critical)
    }

    /// A supportive slogan opened by a quotation mark, in a sentence with a critical word, is quoted
    /// against it: "the 'unbreakable' friendship is fraying".
    func testQuotedSloganAgainstACriticalWord() {
        XCTAssertNotEqual(label("Russia and China's 'unbreakable' friendship shows cracks"), .supportive)
        XCTAssertNotEqual(label("Дружба России и Китая «без пределов» оказалась с пределами"), .supportive)
        XCTAssertNotEqual(label("中俄“牢不可破”的关系出现裂痕"), .supportive)
        // Quoted without a critical word, the slogan is the outlet's own.
        assertLabel("China, Russia hail 'unbreakable' friendship", .supportive)
    }

    /// Relationship nouns and plural subjects that need no names: "the two militaries", "asymmetry",
    /// "двух армий", "两军", "依赖" carry a body sentence about the pair.
    func testRelationshipWordsWithoutNames() {
        assertLabel("China and Russia start naval drills", text: "The exercise will deepen trust between the two militaries.", .supportive)
        assertLabel("Россия и Китай начали морские учения", text: "Маневры будут способствовать укреплению доверия двух армий.", .supportive)
        assertLabel("中俄举行联合演习", text: "此次演习将增进两军互信。", .supportive)
        assertLabel("Xi hosts Putin in Beijing", text: "Analysts say the asymmetry keeps deepening and leaves the Kremlin little leverage.", .critical)
        assertLabel("Путин встретился с Си Цзиньпином", text: "Эксперты отмечают растущую асимметрию и недоверие.", .critical)
        assertLabel("习近平会见普京", text: "分析人士指出，这种依赖正在加深。", .critical)
    }

    /// Vocabulary of state-media support and analytical critique found missing on unseen styles.
    func testUnseenStyleVocabulary() {
        assertLabel("Russian gas deliveries to China dwindle as talks drag on", .critical)
        assertLabel("Russian carmakers lose ground to Chinese rivals in Russia's own market", .critical)
        assertLabel("Moscow hoped for Beijing's help but got only words", .critical)
        assertLabel("China and Russia step up cooperation in the Arctic", .supportive)
        assertLabel("Kremlin: efforts to pit Russia against China are futile", .supportive)
        assertLabel("Россия и Китай так и не договорились о цене газа", .critical)
        assertLabel("Российский бизнес теряет позиции в Китае", .critical)
        assertLabel("Песков: отношения России и Китая переживают лучший период", .supportive)
        assertLabel("中俄能源谈判陷入僵局", .critical)
        assertLabel("中俄关系将取得更大发展", .supportive)
        assertLabel("中俄海上联演有助于维护地区和平稳定", .supportive)
    }

    /// 瓦格纳 is the Wagner group, but not the composer's name or his operas.
    func testWagnerSurnameIsNotTheGroup() {
        XCTAssertFalse(Shared.analyze("理查德·瓦格纳的歌剧在北京上演").sides.contains(.russia))
        XCTAssertFalse(Shared.analyze("上海大剧院上演瓦格纳歌剧").sides.contains(.russia))
        XCTAssertTrue(Shared.analyze("瓦格纳集团领导人发表讲话").sides.contains(.russia))
        XCTAssertTrue(Shared.analyze("瓦格纳兵变后普京发表讲话").sides.contains(.russia))
    }
}
