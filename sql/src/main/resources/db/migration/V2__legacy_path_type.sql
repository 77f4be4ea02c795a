-- Preview Operator database contract, part 2: convert a legacy project_files table.
--
-- Older installations stored files as project_files(path, type, content, ...), one row per
-- file. When such a table exists, its columns are renamed to file_path/file_type here, before
-- part 3 adds the versioning columns and backfills them. Nothing is dropped. On a database
-- without a legacy table (or one already converted) this migration does nothing.
do $$
begin
  if to_regclass('public.project_files') is null then
    return;
  end if;
  if exists (select from information_schema.columns
             where table_schema = 'public' and table_name = 'project_files' and column_name = 'path')
     and not exists (select from information_schema.columns
             where table_schema = 'public' and table_name = 'project_files' and column_name = 'file_path') then
    alter table public.project_files rename column path to file_path;
  end if;
  if exists (select from information_schema.columns
             where table_schema = 'public' and table_name = 'project_files' and column_name = 'type')
     and not exists (select from information_schema.columns
             where table_schema = 'public' and table_name = 'project_files' and column_name = 'file_type') then
    alter table public.project_files rename column type to file_type;
  end if;
end
$$;
