/// Short lines that page furniture prints between paragraphs (ad slots, share buttons, "read
/// more" links). A paragraph that is exactly one of these, ignoring case and trailing
/// punctuation, is dropped; longer text that merely contains one is kept.
enum BoilerplateLabels {
    private static let labels: Set<String> = [
        "advertisement", "advertisements", "advert", "ad", "ads", "sponsored", "sponsored content", "paid content",
        "read more", "read more here", "continue reading", "continue reading below", "keep reading", "show more",
        "see more", "load more", "more", "share", "share this", "share this article", "share this story",
        "share on facebook", "share on twitter", "tweet", "email", "print", "comments", "comment", "view comments",
        "related", "related articles", "related stories", "related content", "recommended", "loading", "skip to content",
        "skip to main content", "story continues below", "story continues below advertisement",
        "article continues below advertisement", "article continues below", "scroll to continue with content",
        "advertisement - scroll to continue", "close", "menu", "search", "subscribe", "sign up", "log in", "sign in",
        "реклама", "广告",
    ]

    static func isLabel(_ paragraph: String) -> Bool {
        guard paragraph.utf8.count <= 48 else { return false }
        var s = paragraph.lowercased()
        while let last = s.last, last == ":" || last == "." || last == "…" || last == "!" || last == " " || last == "»" || last == ">" {
            s.removeLast()
        }
        return labels.contains(s)
    }
}
