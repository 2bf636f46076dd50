#if canImport(Glibc)
import Glibc
#endif

/// Hand-made pages for the extraction tests.
enum Pages {
    static let body = """
        <p>The two governments signed a long-term supply agreement on Tuesday, after months of talks, \
        according to officials from both sides, who described the deal as a milestone.</p>
        <p>Analysts said the agreement, which covers pipeline deliveries, prices and a joint fund, \
        would deepen ties that have grown since 2014, although many details remain unclear.</p>
        <p>Trade between the two countries rose by a third last year, customs figures show, with energy \
        making up the largest share, followed by machinery, timber and farm products.</p>
        """

    static let newsPage = """
        <html><head><title>Supply deal signed | The Daily Example</title>
        <meta property="og:site_name" content="The Daily Example"></head>
        <body>
        <nav><a href="/">Home</a> <a href="/world">World news</a></nav>
        <div id="cookie-banner">We use cookies to improve your experience, do you accept?</div>
        <div class="main-column">
          <article>
            <h1>Supply deal signed</h1>
            <div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
            \(body)
          </article>
          <div class="related-stories"><h3>Related stories</h3>
            <ul><li><a href="/a">Other story one, a long headline about trade</a></li>
                <li><a href="/b">Other story two, a long headline about energy</a></li></ul></div>
          <section id="comments"><p>Great article, thanks a lot, I learned so much from reading it today.</p></section>
        </div>
        <footer>Copyright 2024 The Daily Example, all rights reserved, contact us, about us.</footer>
        </body></html>
        """

    /// A page around `inner` (placed in a plain `<div>` among some site furniture).
    static func page(_ inner: String, head: String = "") -> String {
        """
        <!DOCTYPE html><html><head><title>Test page</title>\(head)</head><body>
        <div class="top"><a href="/">Site</a> | <a href="/x">Section</a></div>
        <div>\(inner)</div>
        </body></html>
        """
    }

    /// `text` encoded in `charset` with glibc iconv (test data only).
    static func encode(_ text: String, as charset: String) -> [UInt8] {
        let cd = iconv_open(charset, "UTF-8")
        precondition(Int(bitPattern: cd) != -1, "iconv has no \(charset)")
        defer { iconv_close(cd) }
        var input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        var inLeft = input.count, outLeft = output.count
        input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                let rc = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                precondition(rc != -1, "cannot encode in \(charset)")
            }
        }
        return Array(output[0..<(output.count - outLeft)])
    }
}
