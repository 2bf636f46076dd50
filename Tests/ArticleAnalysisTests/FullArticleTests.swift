import XCTest
import DyadCore
@testable import ArticleAnalysis

/// Multi-paragraph articles: stance is the relevance-weighted agreement of the sentences about the
/// pair, not the first cue; confidence falls when the sentences disagree.
final class FullArticleTests: XCTestCase {
    static let supportiveBody = """
    Chinese President Xi Jinping held talks with Russian President Vladimir Putin in Moscow on Tuesday.

    The two leaders agreed to deepen their comprehensive strategic partnership and expand cooperation in energy and trade.

    Beijing and Moscow described the talks as fruitful and said mutual trust between China and Russia is at its highest level in history.

    China and Russia pledged to strengthen coordination on international affairs.

    The city was sunny, and crowds gathered in Red Square for the spring festival. Local shops reported strong sales.
    """

    func testSupportiveArticle() {
        let r = Shared.analyze("Xi, Putin hold talks in Moscow", Self.supportiveBody)
        XCTAssertTrue(r.dyad.isDyad)
        XCTAssertEqual(r.stance.label, .supportive)
        XCTAssertGreaterThanOrEqual(r.stance.evidence.count, 3)
        assertOffsetsConsistent(r, "Xi, Putin hold talks in Moscow", Self.supportiveBody)
    }

    /// A critical opening line does not decide an article whose other sentences about the pair
    /// are supportive; the disagreement shows in a lower confidence.
    func testFirstCueDoesNotDominate() {
        let title = "Xi, Putin hold talks in Moscow"
        let body = "Critics say that Russia is becoming China's junior partner.\n\n" + Self.supportiveBody
        let mixed = Shared.analyze(title, body)
        XCTAssertEqual(mixed.stance.label, .supportive)
        let uniform = Shared.analyze(title, Self.supportiveBody)
        XCTAssertLessThan(mixed.stance.confidence, uniform.stance.confidence)
        XCTAssertTrue(mixed.stance.evidence.contains { $0.weight < 0 }, "the critical sentence stays in the evidence")
    }

    /// Sentences not about the pair do not count, however evaluative.
    func testOnlySentencesAboutThePairCount() {
        let body = """
        The festival was a wonderful, friendly and successful celebration, organisers said.

        Analysts say Russia's growing dependence on China makes Moscow the junior partner in an unequal relationship.

        Markets were strong and the weather was excellent, with warm sunshine all week.
        """
        let r = Shared.analyze("Weekend round-up", body)
        XCTAssertTrue(r.dyad.isDyad)
        XCTAssertEqual(r.stance.label, .critical)
    }

    /// Russian and Chinese articles: several sentences, one verdict.
    func testRussianAndChineseArticles() {
        let ru = """
        Президент России Владимир Путин провел переговоры с председателем КНР Си Цзиньпином.

        Стороны договорились об углублении стратегического партнерства. Российско-китайские отношения находятся на высшем уровне в истории.
        """
        XCTAssertEqual(Shared.analyze("", ru).stance.label, .supportive)
        let zh = """
        习近平同俄罗斯总统普京举行会谈。

        两国元首一致同意深化全面战略协作伙伴关系。中俄关系处于历史最高水平。
        """
        XCTAssertEqual(Shared.analyze("", zh).stance.label, .supportive)
        let critical = """
        Россия и Китай подписали соглашение о поставках газа.

        Эксперты отмечают, что Россия становится младшим партнером Китая. Между Москвой и Пекином растет недоверие из-за цен на газ.
        """
        XCTAssertEqual(Shared.analyze("", critical).stance.label, .critical)
    }

    /// Stacking cues in one sentence does not outweigh several sentences.
    func testOneSentenceIsBounded() {
        let body = "China and Russia are strategic partners, close friends, trusted allies with unbreakable, rock-solid, ironclad ties.\nChina and Russia face mistrust.\nMoscow and Beijing see growing frictions.\nChina and Russia are drifting apart.\nRussia and China show strains."
        XCTAssertEqual(Shared.analyze("Where China and Russia stand", body).stance.label, .critical)
    }
}
