import XCTest
import DyadCore
@testable import ArticleAnalysis

/// Russian text: every case form of the actors, the dyad, and stance on both sides.
final class RussianTests: XCTestCase {
    /// Sentences that name a China-side and a Russia-side actor in some case form and relate them.
    static let dyadSentences = [
        "Россия и Китай провели совместные военно-морские учения в Японском море.",
        "Президент России Владимир Путин провёл переговоры с председателем КНР Си Цзиньпином.",
        "Путин и Си Цзиньпин обсудили ситуацию на Украине по телефону.",
        "Москва и Пекин договорились увеличить расчёты в национальных валютах.",
        "Кремль приветствовал визит китайского министра иностранных дел Ван И в Москву.",
        "Лавров встретился с Ван И на полях саммита ШОС.",
        "Товарооборот между Китаем и Россией достиг рекордного уровня.",
        "Китаю Россия поставляет всё больше нефти и газа по трубопроводу «Сила Сибири».",
        "Российско-китайские отношения находятся на высшем уровне в истории.",
        "Китайско-российское партнёрство не направлено против третьих стран.",
        "Пекин поддержал Москву в вопросе безопасности.",
        "Делегация КНР прибыла в Москву для консультаций с МИД России.",
        "Песков прокомментировал визит Си Цзиньпина в Россию.",
        "Мишустин обсудил с Ли Цяном сотрудничество в энергетике.",
        "Китайские и российские бомбардировщики совершили совместное патрулирование.",
        "Газпром подписал с китайской CNPC новый контракт на поставки газа.",
        "Между Россией и Китаем растёт недоверие из-за цен на газ.",
        "Россиян и китайцев объединяет интерес к торговле.",
        "Эксперты считают, что Россия становится младшим партнёром Китая.",
        "Си Цзиньпин поздравил Путина с переизбранием.",
        "Пекином и Москвой был подписан план совместных действий.",
        "Посол России в Китае заявил о новых совместных проектах.",
        "Китаем и Россией запущен новый железнодорожный маршрут.",
        "Китай не спешит поддерживать Россию в войне против Украины.",
    ]

    func testRussianSentencesDetectActorsAndDyad() {
        XCTAssertGreaterThanOrEqual(Self.dyadSentences.count, 20)
        for s in Self.dyadSentences {
            let r = Shared.analyze(s)
            XCTAssertTrue(r.mentions(.china), "no China actor in: \(s) → \(r.entities.map(\.id))")
            XCTAssertTrue(r.mentions(.russia), "no Russia actor in: \(s) → \(r.entities.map(\.id))")
            XCTAssertTrue(r.dyad.isDyad, "no dyad in: \(s)")
            XCTAssertEqual(r.language, "ru", s)
            assertOffsetsConsistent(r, s, "")
        }
    }

    func testCaseFormsOfCountryNames() {
        for form in ["Китай", "Китая", "Китаю", "Китаем", "Китае"] {
            XCTAssertNotNil(Shared.analyze("Новости: \(form) сегодня").entity("china"), form)
        }
        for form in ["Россия", "России", "Россию", "Россией"] {
            XCTAssertNotNil(Shared.analyze("Новости: \(form) сегодня").entity("russia"), form)
        }
        for form in ["Путин", "Путина", "Путину", "Путиным", "Путине"] {
            XCTAssertNotNil(Shared.analyze("Сегодня \(form) выступил").entity("vladimir_putin"), form)
        }
        XCTAssertNotNil(Shared.analyze("российско-китайский форум").entity("china"))
        XCTAssertNotNil(Shared.analyze("российско-китайский форум").entity("russia"))
    }

    func testPlacesAreNotChina() {
        let r = Shared.analyze("Учения прошли в Южно-Китайском море и Восточно-Китайском море.")
        XCTAssertFalse(r.mentions(.china), "\(r.entities.map(\.id))")
        XCTAssertNotNil(r.entity("south_china_sea"))
        XCTAssertNotNil(r.entity("east_china_sea"))
        XCTAssertNil(Shared.analyze("Индокитай и его история").entity("china"))
    }

    func testSupportiveStance() {
        for s in ["Россия и Китай укрепляют всеобъемлющее партнёрство и стратегическое взаимодействие.",
                  "Путин и Си Цзиньпин подтвердили, что дружба двух стран не имеет границ.",
                  "Москва и Пекин договорились о дальнейшем углублении сотрудничества."] {
            XCTAssertEqual(Shared.analyze(s).stance.label, .supportive, s)
        }
    }

    func testCriticalStance() {
        for s in ["Между Россией и Китаем растёт недоверие и напряжённость.",
                  "Эксперты называют Россию младшим партнёром Китая и вассалом Пекина.",
                  "Китай отрицает поставки оружия России.",
                  "Россия и Китай помогают друг другу в обходе санкций, заявили в ЕС."] {
            XCTAssertEqual(Shared.analyze(s).stance.label, .critical, s)
        }
    }

    func testNegationFlipsStance() {
        let r = Shared.analyze("Отношения России и Китая не являются дружбой, а союзом по расчёту.")
        XCTAssertEqual(r.stance.label, .critical)
    }

    func testContrastWeighsSecondClause() {
        let r = Shared.analyze("Россия и Китай говорят о дружбе, но между ними растёт недоверие.")
        XCTAssertEqual(r.stance.label, .critical)
    }
}
