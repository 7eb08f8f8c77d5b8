-- uniqMerge over an AggregateFunction column
SELECT day, uniqMerge(visitors) AS visitors, sum(hits) AS hits FROM daily_page_stats GROUP BY day
