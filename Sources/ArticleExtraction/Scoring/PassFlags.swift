/// Which of the cleaning rules a scoring pass applies. The extractor starts strict and relaxes
/// one rule at a time when the strict pass finds too little text (readability's retry ladder).
struct PassFlags: OptionSet, Sendable {
    let rawValue: UInt8
    /// Remove elements whose class/id says page furniture before scoring.
    static let stripUnlikely = PassFlags(rawValue: 1)
    /// Let class/id hints add to or take from an element's score.
    static let weightClasses = PassFlags(rawValue: 2)
    /// Drop link-dense, image-dense, form-like or tiny blocks inside the chosen content.
    static let cleanConditionally = PassFlags(rawValue: 4)

    static let all: PassFlags = [.stripUnlikely, .weightClasses, .cleanConditionally]
    /// The ladder: strict first, then each rule relaxed in turn.
    static let ladder: [PassFlags] = [.all, [.weightClasses, .cleanConditionally], [.cleanConditionally], []]
}
