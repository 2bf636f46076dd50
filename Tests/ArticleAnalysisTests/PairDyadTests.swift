import XCTest
import DyadCore
@testable import ArticleAnalysis

/// The pair in Russian and Chinese in every case and order, items whose only text is one sentence,
/// and the words that look like a partner without naming one.
final class PairDyadTests: XCTestCase {
    func testRussianPairInEveryOrderAndCase() {
        for s in ["Российско-китайские отношения развиваются.", "Китайско-российское сотрудничество растет.",
                  "Москва и Пекин подписали соглашение.", "Между Пекином и Москвой нет разногласий.",
                  "РФ и КНР провели переговоры.", "Визит в Россию китайской делегации завершился."] {
            let r = Shared.analyze(s)
            XCTAssertTrue(r.dyad.isDyad, s)
        }
    }

    func testChinesePairInEveryOrder() {
        for s in ["中俄举行会谈", "俄中贸易额增长", "中国同俄罗斯签署协议"] {
            XCTAssertTrue(Shared.analyze(s).dyad.isDyad, s)
        }
    }

    /// "The two countries" refers to the pair when both were just named, not to anything elsewhere.
    func testRelationWordsNeedBothSidesJustBefore() {
        let near = Shared.analyze("", "习近平会见普京。两国元首同意深化合作。两国关系稳定发展。")
        XCTAssertTrue(near.dyad.isDyad)
        let far = Shared.analyze("国际联播快讯", "俄罗斯举行阅兵。日本发生地震。法国举行选举。英国物价上涨。中国经济增长。双方关系。两国合作。")
        XCTAssertFalse(far.dyad.isDyad)
        let ru = Shared.analyze("", "Путин встретился с Си Цзиньпином. Две страны договорились о поставках газа.")
        XCTAssertTrue(ru.dyad.isDyad)
    }

    /// An item with no title and one sentence about the pair is a dyad, in all three languages.
    func testOneBodySentenceWithoutTitleIsADyad() {
        for s in ["Russia and China signed a new gas deal.",
                  "В 1997 г. Россия совместно с КНР выдвинула идею многополярного мира.",
                  "中俄两国签署了新的天然气协议。"] {
            let r = Shared.analyze("", s)
            XCTAssertTrue(r.dyad.isDyad, s)
            XCTAssertGreaterThanOrEqual(r.dyad.relevance, 0.5, s)
        }
        // A title that names no actor does not take the lead either.
        XCTAssertTrue(Shared.analyze("News in brief", "Moscow and Beijing agreed to expand trade. Weather was fine.").dyad.isDyad)
    }

    /// "Russia or China" are alternatives, not a pair.
    func testAlternativesAreNotAPair() {
        for s in ["The sanctions could hurt Russia or China.", "Признание сферы влияния России или Китая было бы ошибкой.", "这将影响中国或俄罗斯。"] {
            XCTAssertFalse(Shared.analyze(s).dyad.isDyad, s)
        }
    }

    /// A city used as a place (after a locative word, or as a dateline) is not the government.
    func testCityAsPlaceIsNotTheGovernment() {
        for s in ["В центре Москвы произошло ДТП.", "Туристы из Москвы пропали.", "МОСКВА, 10 авг - РИА Новости. Повстанцы сообщили о захвате.",
                  "Moscow, 31 January. Interfax. Arsenal signed a midfielder.", "会议在莫斯科举行。"] {
            XCTAssertFalse(Shared.analyze(s).mentions(.russia), "Moscow as a place counted as Russia: \(s)")
        }
        XCTAssertFalse(Shared.analyze("今天北京时间下午，美国宣布新措施。").mentions(.china))
        XCTAssertTrue(Shared.analyze("Москва заявила протест.").mentions(.russia))
        XCTAssertTrue(Shared.analyze("莫斯科和北京发表联合声明。").dyad.isDyad)
    }

    /// Words containing a partner's name that do not name the state.
    func testLookAlikesAreNotMentions() {
        for s in ["Он преподаватель русского языка.", "Русскоязычные СМИ сообщили об этом.", "«Единая Россия» перенесла голосование.",
                  "телеканал «Россия 24» показал репортаж."] {
            XCTAssertFalse(Shared.analyze(s).mentions(.russia), s)
        }
        for s in ["白皮书以中、英、法、俄等8个语种发布。", "俄勒冈州议会通过议案。", "埃塞俄比亚总理访问美国。", "他学习俄语。"] {
            XCTAssertFalse(Shared.analyze(s).mentions(.russia), s)
        }
        XCTAssertFalse(Shared.analyze("援助发展中国家。").mentions(.china))
    }

    /// One partner as an item in a long roll of countries is not in a relationship with the other.
    func testPartnerInARollOfCountriesIsNotAPair() {
        let r = Shared.analyze("", "从今天起，符合免签条件的俄罗斯、巴西、英国、美国、加拿大等54国人员在我国境内停留时间延长。")
        XCTAssertFalse(r.dyad.isDyad)
    }

    /// A weather listing names cities, not governments; a roll of congratulators names one partner among many.
    func testWeatherTablesAndRollsAreNotPairs() {
        XCTAssertFalse(Shared.analyze("", "北京多云转阴15℃／24℃天津多云17℃／28℃莫斯科晴11℃／22℃巴黎晴12℃／23℃").dyad.isDyad)
        XCTAssertFalse(Shared.analyze("", "Weather: Beijing 24°C sunny, Moscow 14°C rain, Paris 18°C cloudy").dyad.isDyad)
        let roll = "向习近平主席致贺的还有：挪威国王哈拉尔五世、东帝汶总统奥尔塔、南苏丹总统基尔、俄罗斯统一俄罗斯党主席梅德韦杰夫、马里总统戈伊塔、佛得角总统内韦斯。"
        XCTAssertFalse(Shared.analyze("", roll).dyad.isDyad)
        XCTAssertTrue(Shared.analyze("", "习近平同俄罗斯总统普京、哈萨克斯坦总统、乌兹别克斯坦总统、吉尔吉斯斯坦总统、塔吉克斯坦总统举行会谈，中俄两国元首重申合作。").dyad.isDyad,
                      "a partner outside the roll still makes the pair")
    }
}
