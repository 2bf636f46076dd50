import XCTest
import DyadCore
@testable import ArticleAnalysis

/// Chinese text: no word boundaries, pair abbreviations (中俄), places that contain actor names.
final class ChineseTests: XCTestCase {
    static let dyadSentences = [
        "中俄两国举行联合军事演习。",
        "习近平同普京举行会谈。",
        "中国和俄罗斯签署能源合作协议。",
        "中方愿同俄方加强战略协作。",
        "俄罗斯总统普京对中国进行国事访问。",
        "王毅同拉夫罗夫通电话。",
        "北京和莫斯科同意扩大本币结算。",
        "克里姆林宫表示，普京将应北京邀请出席论坛。",
        "中俄全面战略协作伙伴关系处于历史最好时期。",
        "俄中贸易额创历史新高。",
        "中国海军和俄罗斯海军在日本海举行“海上联合”演习。",
        "习主席与普京总统在上合组织峰会期间会晤。",
        "俄方高度评价中方在乌克兰问题上的立场。",
        "佩斯科夫称，俄罗斯与中国的关系不针对第三方。",
        "中国驻俄罗斯大使会见俄罗斯外长。",   // a posting alone is no party (UnseenStyleTests)
        "西伯利亚力量管道向中国输送俄罗斯天然气。",
        "李强会见俄罗斯总理米舒斯京。",
        "解放军和俄军举行联合空中战略巡航。",
        "美国指责中国向俄罗斯提供军事援助。",
        "中方否认向俄罗斯提供武器。",
        "外媒称中俄之间存在裂痕和不信任。",
        "金砖国家峰会上，中俄领导人再次会晤。",
    ]

    func testChineseSentencesDetectActorsAndDyad() {
        XCTAssertGreaterThanOrEqual(Self.dyadSentences.count, 20)
        for s in Self.dyadSentences {
            let r = Shared.analyze(s)
            XCTAssertTrue(r.mentions(.china), "no China actor in: \(s) → \(r.entities.map(\.id))")
            XCTAssertTrue(r.mentions(.russia), "no Russia actor in: \(s) → \(r.entities.map(\.id))")
            XCTAssertTrue(r.dyad.isDyad, "no dyad in: \(s)")
            XCTAssertEqual(r.language, "zh", s)
            assertOffsetsConsistent(r, s, "")
        }
    }

    func testPlacesAndLookalikes() {
        XCTAssertFalse(Shared.analyze("美国军舰进入南海。").mentions(.china))
        XCTAssertFalse(Shared.analyze("白俄罗斯总统卢卡申科发表讲话。").mentions(.russia))
        XCTAssertFalse(Shared.analyze("俄亥俄州发生火车脱轨事故。").mentions(.russia))
        let r = Shared.analyze("中国日报报道了这一消息。")
        XCTAssertFalse(r.mentions(.china), "China Daily is an outlet name: \(r.entities.map(\.id))")
    }

    func testSupportiveStance() {
        for s in ["中俄关系坚如磐石，两国将继续深化务实合作。",
                  "中俄相互支持，共同维护地区和平稳定。",
                  "习近平和普京同意进一步加强全面战略协作伙伴关系。"] {
            XCTAssertEqual(Shared.analyze(s).stance.label, .supportive, s)
        }
    }

    func testCriticalStance() {
        for s in ["外媒称中俄之间存在裂痕和不信任。",
                  "中方否认向俄罗斯提供武器。",
                  "分析人士认为俄罗斯已沦为中国的附庸。"] {
            XCTAssertEqual(Shared.analyze(s).stance.label, .critical, s)
        }
    }

    func testNonNegatingCharactersDoNotFlip() {
        // 不断 ("continuously") contains 不 but must not negate 深化.
        XCTAssertEqual(Shared.analyze("中俄不断深化合作。").stance.label, .supportive)
        XCTAssertEqual(Shared.analyze("中俄关系不会深化。").stance.label, .critical)
    }
}
