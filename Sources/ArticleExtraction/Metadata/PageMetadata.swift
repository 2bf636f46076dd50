import Foundation

/// What a page says about itself outside its body text.
struct PageMetadata {
    var title: String?
    var published: Date?
    var author: String?
    var canonicalURL: String?
    var language: String?
    var siteName: String?
}
