-- Inbox jobs taken earlier from a file of the same name and size: a re-drop is taken again, and said so.
SELECT created_at FROM jobs WHERE source = 'inbox' AND name = :#name AND bytes = :#bytes ORDER BY created_at DESC
