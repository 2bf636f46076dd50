import XCTest
import DyadCore
@testable import ArticleAnalysis

/// English: actors vs places, dyad vs co-mention, and stance with its modifiers — the critical
/// side as carefully as the supportive one.
final class EnglishTests: XCTestCase {
    func testPlacesAndOutletsAreNotActors() {
        for s in ["US destroyer sails through the South China Sea", "Tensions rise in the East China Sea",
                  "French Indochina in the 1930s", "China Daily editorial board meets readers",
                  "US increases presence in S. China Sea"] {
            XCTAssertFalse(Shared.analyze(s).mentions(.china), s)
        }
        XCTAssertTrue(Shared.analyze("Chinese New Year celebrations draw crowds").mentions(.china))
        XCTAssertNil(Shared.analyze("Let us talk").entity("us"), "the pronoun 'us' is not the United States")
        XCTAssertNotNil(Shared.analyze("The US and the EU").entity("us"))
        XCTAssertNotNil(Shared.analyze("Sino-Russian trade grows").entity("russia"))
        XCTAssertNotNil(Shared.analyze("Sino-Russian trade grows").entity("china"))
    }

    func testMetonymyAndOfficials() {
        let r = Shared.analyze("The Kremlin said Peskov and Lavrov would meet Wang Yi in Beijing")
        for id in ["kremlin", "dmitry_peskov", "sergei_lavrov", "wang_yi", "beijing"] { XCTAssertNotNil(r.entity(id), id) }
        XCTAssertTrue(r.dyad.isDyad)
    }

    func testDyadNeedsARelationNotAList() {
        XCTAssertFalse(Shared.analyze("S.Korean president names new ambassadors to China, Japan, Russia, UN").dyad.isDyad)
        XCTAssertTrue(Shared.analyze("China, Russia, Mongolia to strengthen coordination").dyad.isDyad)
        XCTAssertFalse(Shared.analyze("Chinese embassy evacuates nationals amid the escalating Russia-Ukraine crisis").dyad.isDyad)
        XCTAssertTrue(Shared.analyze("Chinese and Russian foreign ministers hold talks").dyad.isDyad)
        XCTAssertFalse(Shared.analyze("China reports record harvest").dyad.isDyad)
        // A body with several dyad sentences makes a dyad article even if the headline names one side.
        let r = Shared.analyze("Kremlin welcomes delegation", "Russia and China signed two deals. Moscow and Beijing agreed to expand trade.")
        XCTAssertTrue(r.dyad.isDyad)
        XCTAssertEqual(r.dyad.sentences.count, 2)
    }

    func testCriticalFraming() {
        for s in ["Critics call Russia and China an axis of autocracies",
                  "Russia has become China's junior partner, analysts say",
                  "China denies arming Russia",
                  "Envoy rejects talk that China is aiding Russia militarily",
                  "Chinese banks help Russia with sanctions evasion",
                  "NATO chief condemns China's no-limits partnership with Russia as a threat",
                  "Strains emerge in China-Russia ties as Beijing keeps its distance",
                  "Distrust grows between Moscow and Beijing over gas prices",
                  "US accuses China of supplying weapons to Russia"] {
            let r = Shared.analyze(s)
            XCTAssertTrue(r.dyad.isDyad, s)
            XCTAssertEqual(r.stance.label, .critical, "\(s): \(r.stance.score) \(r.stance.evidence.map(\.text))")
            XCTAssertFalse(r.stance.evidence.isEmpty, s)
        }
    }

    func testSupportiveFraming() {
        for s in ["China-Russia friendship 'rock-solid', says FM",
                  "Xi, Putin vow to deepen comprehensive strategic partnership",
                  "China, Russia pledge closer cooperation in energy",
                  "China-Russia joint patrol does not target any third party: spokesman",
                  "FM slams claims on China-Russia ties as smear"] {
            XCTAssertEqual(Shared.analyze(s).stance.label, .supportive, "\(s): \(Shared.analyze(s).stance)")
        }
    }

    func testNeutralReports() {
        for s in ["Chinese, Russian FMs hold phone conversation", "Xi talks with Putin over phone",
                  "China urges Russia, Ukraine to continue peace talks"] {
            let r = Shared.analyze(s)
            XCTAssertTrue(r.dyad.isDyad, s)
            XCTAssertEqual(r.stance.label, .neutral, s)
        }
    }

    func testNegationHedgeAndContrast() {
        XCTAssertEqual(Shared.analyze("China and Russia are not close partners").stance.label, .critical)
        XCTAssertEqual(Shared.analyze("Russia and China are no longer a threat to each other").stance.score > 0, true)
        let plain = Shared.analyze("China and Russia strengthen ties")
        let hedged = Shared.analyze("China and Russia may strengthen ties")
        XCTAssertLessThan(hedged.stance.score, plain.stance.score)
        XCTAssertEqual(Shared.analyze("China and Russia praise their friendship, but distrust runs deep").stance.label, .critical)
        XCTAssertEqual(Shared.analyze("Despite distrust, China and Russia deepen their strategic partnership").stance.label, .supportive)
    }

    func testToneAttribution() {
        let r = Shared.analyze("The US bullies and threatens others, while China and Russia promote peace and stability")
        XCTAssertLessThan(r.tone.us ?? 0, 0)
        XCTAssertGreaterThan(r.tone.china ?? 0, 0)
        XCTAssertNil(Shared.analyze("China and Russia talk").tone.us)
        // An appraisal ("laud") is the only tone cue: it still gives a tone (the scorer's early
        // exit and its loop share one predicate).
        XCTAssertGreaterThan(Shared.analyze("Leaders laud 50 years of Sino-Argentine diplomatic ties").tone.china ?? 0, 0)
    }

    func testFrames() {
        let r = Shared.analyze("China, Russia hold joint naval drills and sign gas pipeline deal amid Western sanctions")
        let ids = Set(r.frames.map(\.id))
        XCTAssertTrue(ids.isSuperset(of: [.military, .energy, .sanctions]), "\(ids)")
        for f in r.frames { XCTAssertFalse(f.evidence.isEmpty); XCTAssertTrue((0...1).contains(f.score)) }
    }
}
