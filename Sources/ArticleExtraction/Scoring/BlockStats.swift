/// Sizes of an element's subtree after removal of page furniture, summed bottom-up.
struct BlockStats {
    /// Characters of text (whitespace runs count one).
    var chars: Int32 = 0
    /// Characters inside links.
    var linkChars: Int32 = 0
    var commas: Int32 = 0
    /// Text not inside a block-level descendant: the element's own "paragraph".
    var inlineChars: Int32 = 0
    var inlineCommas: Int32 = 0
    var paragraphs: Int32 = 0
    var listItems: Int32 = 0
    var links: Int32 = 0
    var images: Int32 = 0
    var inputs: Int32 = 0
    var embeds: Int32 = 0
    var hasBlockChild = false

    var linkDensity: Float { chars > 0 ? Float(linkChars) / Float(chars) : 0 }
}
