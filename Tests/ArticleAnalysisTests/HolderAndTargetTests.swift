import XCTest
import DyadCore
@testable import ArticleAnalysis

/// Whose evaluation a cue is and what it is aimed at (issue 10, generalization): the holder of a
/// relationship word or of praise, the holder and object of a refusal, a measure aimed at one
/// partner, a denial governing a critical word, a positive word about a critical one. Every
/// sentence here was written for these tests in the styles of the outlets dyadwatch reads.
final class HolderAndTargetTests: XCTestCase {
    func result(_ s: String, file: StaticString = #filePath, line: UInt = #line) -> ArticleAnalysisResult {
        let r = Shared.analyze(s)
        XCTAssertTrue(r.dyad.isDyad, "not a dyad: \(s)", file: file, line: line)
        return r
    }

    func assertLabel(_ s: String, _ expected: StanceLabel, file: StaticString = #filePath, line: UInt = #line) {
        let r = result(s, file: file, line: line)
        XCTAssertEqual(r.stance.label, expected, "\(s): \(r.stance.score) \(r.stance.evidence.map(\.text))", file: file, line: line)
    }

    func assertNotLabel(_ s: String, _ unexpected: StanceLabel, file: StaticString = #filePath, line: UInt = #line) {
        let r = Shared.analyze(s)
        if r.dyad.isDyad {
            XCTAssertNotEqual(r.stance.label, unexpected, "\(s): \(r.stance.score) \(r.stance.evidence.map(\.text))", file: file, line: line)
        }
    }

    /// Cooperation whose subject joins one partner with a third party is that pair's cooperation.
    func testCooperationOfAnotherPair() {
        for s in ["China, US need to cooperate on Afghanistan, says Russian envoy",
                  "Xi-Macron talks stress cooperation as Russia steps up attacks",
                  "Китай и США должны сотрудничать, заявил российский посол",
                  "中美需要合作，俄罗斯专家称"] {
            assertNotLabel(s, .supportive)
        }
        // A group holding both partners (and a third) still speaks for the pair.
        assertLabel("Russia, China and Mongolia agree to strengthen coordination", .supportive)
        assertLabel("中俄蒙三方同意加强协调", .supportive)
        // The missing partner named as the one the relationship is with.
        assertLabel("Russia, Belarus deepen ties with China", .supportive)
        assertLabel("Россия и Белоруссия укрепляют связи с Китаем", .supportive)
    }

    /// Praise is its holder's view: a partner's praise of the other counts, a third party's does not.
    func testPraiseCountsOnlyFromAPartner() {
        assertLabel("Putin praises China's balanced position on the Ukraine crisis", .supportive)
        assertLabel("Путин высоко оценил взвешенную позицию Китая", .supportive)
        assertLabel("俄方高度评价中方的客观公正立场", .supportive)
        // Holder after "from": a third party praising something else.
        assertNotLabel("Japanese scholar's book on Russia and China wins praise from US critics", .supportive)
        // One partner listed with a third party still voices its own support.
        assertLabel("Dozens of countries including Russia and Belarus voice support for China's stance on Taiwan", .supportive)
    }

    /// A refusal held by a third party is no distancing between the partners.
    func testThirdPartyRefusalIsNotDistancing() {
        for s in ["Indian PM refuses to toe Western line on Russia and China",
                  "Индия отказывается следовать линии США в отношении России и Китая"] {
            assertNotLabel(s, .critical)
        }
        // A partner's own refusal still is.
        assertLabel("Китай отказался поставлять оружие России", .critical)
    }

    /// Refusing a third party's measure concerning the other partner is standing by it.
    func testRefusingAThirdPartysMeasureIsSupportive() {
        assertLabel("Beijing refuses to join Western sanctions against Moscow", .supportive)
        assertLabel("Пекин отказался присоединиться к санкциям США против Москвы", .supportive)
    }

    /// A measure aimed at one partner by someone else is not a verdict on the ties.
    func testMeasureAgainstOnePartner() {
        assertNotLabel("China objects to UN move to suspend Russia from rights body", .critical)
        assertNotLabel("Beijing questions Western push to isolate Russia at G20", .critical)
        // Carried out by the other partner, it is distancing.
        assertLabel("China suspends cooperation with Russia's banks", .critical)
    }

    /// A partner's criticism aimed at a third party defends the ties; its words describe the third party.
    func testPartnerCriticismOfAThirdParty() {
        assertLabel("China slams US sanctions on Chinese firms over Russia ties as illegal bullying", .supportive)
        assertNotLabel("Lavrov meets Wang Yi, condemns NATO's expansion as 'reckless, dangerous'", .critical)
    }

    /// A denial governs the critical word after it: denying a rift defends the ties.
    func testDenialOfACriticalClaim() {
        for s in ["Kremlin denies rift with Beijing over gas prices",
                  "China rejects US pressure to distance itself from Russia",
                  "Кремль отверг разговоры о разногласиях с Пекином",
                  "外交部否认中俄之间存在分歧"] {
            assertLabel(s, .supportive)
        }
        // Denying the attack a defence names is still the defence.
        assertLabel("China, Russia reject Western attempts to drive a wedge between them", .supportive)
        assertLabel("中俄坚决反对外部势力挑拨离间", .supportive)
        // A denied closeness is distancing.
        assertLabel("Beijing denies close coordination with Moscow on Ukraine", .critical)
    }

    /// A growth verb or the relationship's name next to a critical word is about that word.
    func testPositiveWordAboutACriticalWord() {
        for s in ["Asymmetry deepens in Russia-China relationship",
                  "The limits of the China-Russia partnership are becoming clear",
                  "Russia's pivot to China brings dependence rather than partnership",
                  "中俄合作有限"] {
            assertLabel(s, .critical)
        }
        // Not across a backdrop or a comma.
        assertLabel("China, Russia deepen cooperation amid sanctions pressure", .supportive)
    }

    /// A third party's warning the sentence dismisses is not endorsed.
    func testDismissedWarningIsNotCritical() {
        assertNotLabel("Spokesperson urges end to irresponsible remarks after UK minister warns Beijing over Moscow", .critical)
        // Undismissed, it is.
        assertLabel("UK minister warns Beijing over its ties with Moscow", .critical)
    }

    /// Opposition by a third party to the pair is critical; the partners' own opposition to something is not.
    func testOpposition() {
        assertLabel("US opposes China-Russia naval drills near Alaska", .critical)
        assertNotLabel("China and Russia oppose unilateral sanctions", .critical)
        assertNotLabel("РФ и КНР выступили против политики санкций", .critical)
        assertNotLabel("中俄反对单边制裁", .critical)
    }

    /// Records and results in state-media wording; symbolic support, shrinking trade, caution and
    /// curbs in analytical and business wording.
    func testVocabulary() {
        for s in ["China-Russia trade hits record high as ties flourish",
                  "Sino-Russian energy cooperation bears fruit as pipeline deliveries grow",
                  "Товарооборот России и Китая бьет рекорды",
                  "Си Цзиньпин назвал Путина своим лучшим другом",
                  "中俄友谊历久弥坚",
                  "Chinese, Russian navies wrap up drills, showcasing high level of trust",
                  "Песков: отношения Москвы и Пекина носят особый характер",
                  "俄方高度重视发展对华关系",
                  "China stands firmly with Russia on NATO expansion concerns, FM says",
                  "Лавров назвал отношения с Китаем лучшими в истории"] {
            assertLabel(s, .supportive)
        }
        for s in ["Beijing's support for Moscow is more rhetoric than substance",
                  "China's trade with Russia falls as banks grow cautious",
                  "Китайские банки ограничили платежи из России",
                  "China's support for Russia comes with strings attached",
                  "The Sino-Russian partnership is weaker than it looks",
                  "Китай занял выжидательную позицию в отношениях с Россией",
                  "Китайские банки стали отказывать российским клиентам",
                  "Russia frets over Chinese dominance in Central Asia",
                  "Российский бизнес жалуется на проблемы с платежами в Китай",
                  "Russia's gas pivot to China hits a wall over pricing",
                  "分析人士：俄罗斯在对华关系中处于弱势地位"] {
            assertLabel(s, .critical)
        }
        // "sources" is not the verb "sour".
        let r = result("Chinese state banks restrict financing for Russian purchases, sources say")
        XCTAssertFalse(r.stance.evidence.contains { $0.text.lowercased() == "sources" }, "\(r.stance.evidence.map(\.text))")
    }

    /// Support one partner gives the other by name is a statement of one about the other.
    func testSupportNamedForThePartner() {
        assertLabel("Russia backs China's position on Taiwan", .supportive)
        assertLabel("Москва поддерживает позицию Пекина по Тайваню", .supportive)
        // Support for a third party's cause is not.
        assertNotLabel("Russia backs Serbia as China watches", .supportive)
    }

    /// Both partners refusing together are not refusing each other; stopping short of support is distancing.
    func testJointRefusalAndStoppingShort() {
        assertNotLabel("China and Russia refuse to bow to Western pressure", .critical)
        assertLabel("China stops short of backing Russia's annexation claims", .critical)
    }

    /// Russian "в" + accusative is a destination: a visit to the capital is an interaction with its
    /// government; "в" + prepositional is a place.
    func testRussianDestinationIsTheGovernment() {
        XCTAssertTrue(Shared.analyze("Си Цзиньпин прибыл в Москву с государственным визитом").dyad.isDyad)
        XCTAssertTrue(Shared.analyze("Путин отправится в Пекин на форум").dyad.isDyad)
        XCTAssertFalse(Shared.analyze("Китайские туристы гуляли по набережной в Москве").dyad.isDyad)
        XCTAssertFalse(Shared.analyze("Российский турист заблудился в пекинском метро").dyad.isDyad)
        // Russian headlines name the Chinese leader by his family name alone.
        XCTAssertTrue(Shared.analyze("Путин и Си обсудили торговлю в национальных валютах").dyad.isDyad)
        // Officials of both sides by name, in their case forms.
        XCTAssertTrue(Shared.analyze("Оверчук обсудил с Хэ Лифэном торговлю").dyad.isDyad)
        XCTAssertTrue(Shared.analyze("Хань Чжэн встретился с Матвиенко").dyad.isDyad)
    }

    /// A critical word named only to be denied right after it is no verdict.
    func testCriticalWordDeniedRightAfter() {
        for s in ["Confrontation is not an option for China and Russia, says envoy",
                  "Разногласий нет: Россия и Китай подписали соглашение",
                  "中俄之间分歧不大"] {
            assertNotLabel(s, .critical)
        }
    }

    /// A sentence-initial "however" (linking to the previous sentence) leaves a concession in force.
    func testConcessionAfterALinkingContrast() {
        assertLabel("However, despite their strategic partnership, China and Russia drive a hard bargain over the pipeline", .critical)
        assertLabel("Однако, несмотря на стратегическое партнерство, торг между Китаем и Россией будет очень сложным", .critical)
    }
}
