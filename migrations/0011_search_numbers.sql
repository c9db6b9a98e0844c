-- Numbers in the claims index become whole words, apart from their units (src/search/search-text.ts): "$5.576M" was
-- indexed as the words 5 and 576m, so a search for 6 found "$5.6 million" and 1.6 did not find "$1.6B". Rows whose
-- text has such a number are indexed again with the marked text; search_text() is registered by the migration runner.
-- At a million claims without such numbers this reads every row once and rewrites none.
UPDATE claims_fts SET statement = search_text(statement), body = search_text(body)
WHERE statement IS NOT search_text(statement) OR body IS NOT search_text(body);
