/**
 * Absolute links to the pack's docs, for reports read outside the repository (SARIF `helpUri`,
 * Markdown summaries). One constant base: the repository's default branch on GitHub.
 */
export const DOCS_BASE_URL = "https://github.com/mailflow-guard/mailflow-guard/blob/main/";

/** The absolute URL of a rule's (or the inventory policy's) docs page. */
export const docsUrl = (id: string): string => `${DOCS_BASE_URL}docs/rules/${id}.md`;
