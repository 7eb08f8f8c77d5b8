-- jsonb_extract_path_text is not translated: 42883
SELECT jsonb_extract_path_text(payload, 'utm', 'source') FROM events
