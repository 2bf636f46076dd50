/// Hand-made pages for the scoring tests.
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
}
