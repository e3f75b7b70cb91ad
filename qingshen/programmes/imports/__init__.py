"""List files (附件1, 附件4) imported into a draft list: stored first (`batches`), checked row by row in
the background (`validate`, with the columns and row checks of `rows`), then written all or nothing
(`commit`); `recovery` puts a batch right when the worker stopped in the middle."""
