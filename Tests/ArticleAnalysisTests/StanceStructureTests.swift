import XCTest
import DyadCore
@testable import ArticleAnalysis

/// The sentence-structure rules of the stance scorer, each in English, Russian and Chinese:
/// refusal and distancing, attribution, negation scope, concession, questions, analytical vocabulary.
final class StanceStructureTests: XCTestCase {
    func label(_ s: String) -> StanceLabel {
        let r = Shared.analyze(s)
        XCTAssertTrue(r.dyad.isDyad, "not a dyad: \(s)")
        return r.stance.label
    }

    func score(_ s: String) -> Double { Shared.analyze(s).stance.score }

    /// A refusal flips the cue it governs: refusing to supply is distancing (critical), refusing to
    /// condemn is standing by the partner; the same act without the refusal says nothing.
    func testRefusalGovernsTheCueAfterIt() {
        for s in ["China refuses to supply weapons to Russia", "Китай отказался поставлять оружие России", "中国拒绝向俄罗斯提供武器"] {
            XCTAssertEqual(label(s), .critical, s)
        }
        for s in ["China refuses to condemn Russia", "Китай отказался осудить Россию", "中方拒绝谴责俄罗斯"] {
            XCTAssertEqual(label(s), .supportive, s)
        }
        XCTAssertEqual(label("China supplies weapons to Russia"), .neutral)
    }

    func testKeepingDistanceIsCritical() {
        for s in ["Beijing keeps its distance from Moscow over the war", "Пекин держит дистанцию от Москвы", "中国与俄罗斯保持距离"] {
            XCTAssertEqual(label(s), .critical, s)
        }
    }

    /// Attribution: a third party's warning about the pair portrays the ties as a threat, even when
    /// what it warns of is worded positively ("coordination").
    func testThirdPartyWarningIsCritical() {
        for s in ["US officials warn of growing China-Russia coordination",
                  "Чиновники США предупреждают о координации Китая и России",
                  "美国官员警告中俄协调",
                  "China and Russia hold talks, US warns"] {
            XCTAssertEqual(label(s), .critical, s)
        }
        // The same verb with a partner as speaker is not a third party's verdict on the ties.
        XCTAssertNotEqual(label("Chinese envoy warns against sanctions on Russia"), .critical)
    }

    /// Negation flips within its clause: "no longer", "уже не", "不再".
    func testNegationFlipsTheCue() {
        let pairs = [("China and Russia are close partners", "China and Russia are no longer close partners"),
                     ("Россия и Китай близкие партнеры", "Россия и Китай уже не близкие партнеры"),
                     ("中俄是好朋友", "中俄不再是好朋友")]
        for (plain, negated) in pairs {
            XCTAssertEqual(label(plain), .supportive, plain)
            XCTAssertEqual(label(negated), .critical, negated)
        }
    }

    /// A negator does not reach past a comma into the next clause.
    func testNegationStopsAtAComma() {
        XCTAssertEqual(label("Not in years, China and Russia deepen their partnership"), .supportive)
    }

    /// In "despite X, Y" the main clause Y carries the point.
    func testConcessionMainClauseDecides() {
        for s in ["Despite their strategic partnership, Russia and China face deep mistrust",
                  "Несмотря на стратегическое партнерство, между Россией и Китаем растет недоверие",
                  "尽管中俄是战略伙伴，但两国之间存在分歧"] {
            XCTAssertEqual(label(s), .critical, s)
        }
    }

    /// A question asserts less than a statement.
    func testQuestionsAreDamped() {
        let statement = score("China-Russia partnership is strengthening")
        let question = score("Is the China-Russia partnership strengthening?")
        XCTAssertGreaterThan(statement, question)
        XCTAssertGreaterThan(question, 0)
        XCTAssertGreaterThan(score("Российско-китайское партнерство укрепляется"), score("Укрепляется ли российско-китайское партнерство?"))
        XCTAssertGreaterThan(score("中俄关系不断深化"), score("中俄关系不断深化吗？"))
    }

    /// Western analytical vocabulary on the critical side, state-media idiom on the supportive side.
    func testAnalyticalAndStateMediaVocabulary() {
        for s in ["Russia becomes China's junior partner", "China-Russia axis threatens the West",
                  "Россия становится младшим партнером Китая", "俄罗斯对中国的依赖加深"] {
            XCTAssertEqual(label(s), .critical, s)
        }
        for s in ["China-Russia ties at the highest level in history", "Российско-китайские отношения на высшем уровне в истории",
                  "中俄关系处于历史最高水平"] {
            XCTAssertEqual(label(s), .supportive, s)
        }
        // State media reject "bloc confrontation": not a critical word about the pair.
        XCTAssertNotEqual(label("China and Russia oppose bloc confrontation"), .critical)
    }
}
