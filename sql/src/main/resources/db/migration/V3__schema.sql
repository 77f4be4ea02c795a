-- Preview Operator database contract, part 3: tables, indexes, the current-files view, settings.
--
-- Base tables are created only when missing (a Supabase project may already have
-- user_profiles and projects); missing columns are added; a legacy project_files table
-- (converted by part 2) gets its versioning columns and a backfill. Nothing is dropped.

create table if not exists public.user_profiles (
  id uuid primary key
);

create table if not exists public.projects (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null references public.user_profiles (id) on delete cascade,
  name text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  revision bigint not null default 0
);
-- an existing projects table: the revision counter is ours; owner_id is expected to exist
alter table public.projects add column if not exists revision bigint not null default 0;
alter table public.projects add column if not exists owner_id uuid;

create table if not exists public.project_members (
  project_id uuid not null references public.projects (id) on delete cascade,
  user_id uuid not null references public.user_profiles (id) on delete cascade,
  role text not null check (role in ('owner', 'editor', 'viewer')),
  created_at timestamptz not null default now(),
  primary key (project_id, user_id)
);
create index if not exists idx_project_members_user on public.project_members (user_id);

create table if not exists public.project_files (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  file_path text not null,
  file_type text not null,
  content text,
  content_hash text,
  version integer not null default 1,
  parent_version_id uuid references public.project_files (id) on delete set null,
  is_current_version boolean not null default true,
  created_by uuid not null references public.user_profiles (id) on delete cascade,
  last_modified_by uuid references public.user_profiles (id) on delete set null,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  is_deleted boolean not null default false,
  size_bytes bigint,
  revision bigint,
  unique (project_id, file_path, version)
);

-- A legacy table (see part 2) lacks some of these; on a fresh table they are no-ops.
alter table public.project_files add column if not exists file_type text;
alter table public.project_files add column if not exists content text;
alter table public.project_files add column if not exists content_hash text;
alter table public.project_files add column if not exists version integer;
alter table public.project_files add column if not exists parent_version_id uuid;
alter table public.project_files add column if not exists is_current_version boolean;
alter table public.project_files add column if not exists created_by uuid;
alter table public.project_files add column if not exists last_modified_by uuid;
alter table public.project_files add column if not exists created_at timestamptz default now();
alter table public.project_files add column if not exists updated_at timestamptz default now();
alter table public.project_files add column if not exists is_deleted boolean;
alter table public.project_files add column if not exists size_bytes bigint;
alter table public.project_files add column if not exists revision bigint;

-- Backfill rows written before versioning (legacy rows): versions numbered per path in
-- creation order, the newest one current, authorship from the project owner.
with numbered as (
  select id,
         row_number() over w as rn,
         count(*) over (partition by project_id, file_path) as cnt
  from public.project_files
  where version is null
  window w as (partition by project_id, file_path order by created_at nulls first, id)
)
update public.project_files f
   set version = n.rn,
       is_current_version = coalesce(f.is_current_version, n.rn = n.cnt)
  from numbered n
 where f.id = n.id;
update public.project_files set is_current_version = true where is_current_version is null;
update public.project_files set is_deleted = false where is_deleted is null;
update public.project_files set file_type = 'text' where file_type is null;
update public.project_files f
   set created_by = p.owner_id
  from public.projects p
 where f.created_by is null and p.id = f.project_id;
update public.project_files
   set content_hash = encode(sha256(convert_to(content, 'UTF8')), 'hex')
 where content_hash is null and content is not null;
update public.project_files
   set size_bytes = octet_length(convert_to(content, 'UTF8'))
 where size_bytes is null and content is not null;

do $$
declare
  missing bigint;
begin
  select count(*) into missing from public.project_files where created_by is null;
  if missing > 0 then
    raise exception using
      errcode = 'PT400',
      message = format('%s project_files rows have no created_by and their project has no owner_id', missing),
      hint = 'set projects.owner_id (or project_files.created_by) for those rows, then re-run the migration';
  end if;
end
$$;

alter table public.project_files alter column id set default gen_random_uuid();
alter table public.project_files alter column file_path set not null;
alter table public.project_files alter column file_type set not null;
alter table public.project_files alter column version set default 1;
alter table public.project_files alter column version set not null;
alter table public.project_files alter column is_current_version set default true;
alter table public.project_files alter column is_current_version set not null;
alter table public.project_files alter column created_by set not null;
alter table public.project_files alter column is_deleted set default false;
alter table public.project_files alter column is_deleted set not null;

-- Constraints a legacy table lacks (named as PostgreSQL names them on a fresh table).
do $$
begin
  if not exists (select from pg_constraint where conrelid = 'public.project_files'::regclass and contype = 'p') then
    alter table public.project_files add primary key (id);
  end if;
  if not exists (select from pg_constraint where conname = 'project_files_project_id_file_path_version_key'
                 and conrelid = 'public.project_files'::regclass) then
    alter table public.project_files
      add constraint project_files_project_id_file_path_version_key unique (project_id, file_path, version);
  end if;
  if not exists (select from pg_constraint where conname = 'project_files_project_id_fkey'
                 and conrelid = 'public.project_files'::regclass) then
    alter table public.project_files add constraint project_files_project_id_fkey
      foreign key (project_id) references public.projects (id) on delete cascade;
  end if;
  if not exists (select from pg_constraint where conname = 'project_files_parent_version_id_fkey'
                 and conrelid = 'public.project_files'::regclass) then
    alter table public.project_files add constraint project_files_parent_version_id_fkey
      foreign key (parent_version_id) references public.project_files (id) on delete set null;
  end if;
  if not exists (select from pg_constraint where conname = 'project_files_created_by_fkey'
                 and conrelid = 'public.project_files'::regclass) then
    alter table public.project_files add constraint project_files_created_by_fkey
      foreign key (created_by) references public.user_profiles (id) on delete cascade;
  end if;
  if not exists (select from pg_constraint where conname = 'project_files_last_modified_by_fkey'
                 and conrelid = 'public.project_files'::regclass) then
    alter table public.project_files add constraint project_files_last_modified_by_fkey
      foreign key (last_modified_by) references public.user_profiles (id) on delete set null;
  end if;
end
$$;

-- One current version per (project, path): the invariant every write relies on. It also serves
-- the seed's (project_id, is_current_version) lookups; the seed's (project_id) and
-- (project_id, file_path) lookups are served by the unique (project_id, file_path, version).
create unique index if not exists idx_project_files_current
  on public.project_files (project_id, file_path) where is_current_version;
-- (replay finds a revision's versions by id through the event's file_id or manifest, so no
-- index on revision: every index costs two insertions per write)
drop index if exists public.idx_project_files_revision;
-- keeps pruning linear (ON DELETE SET NULL looks children up by parent)
create index if not exists idx_project_files_parent
  on public.project_files (parent_version_id) where parent_version_id is not null;

comment on column public.project_files.content is
  'UTF-8 text content; NULL for a binary file (its bytes live in object storage at blobs/{content_hash}) and for a tombstone';
comment on column public.project_files.content_hash is
  'hex sha256 of the content bytes (UTF-8 for text); NULL for a tombstone';
comment on column public.project_files.revision is
  'the project revision whose write created this version (NULL for rows backfilled from a legacy table)';

create or replace view public.project_files_current with (security_invoker = true) as
  select * from public.project_files where is_current_version and not is_deleted;

create table if not exists public.project_file_events (
  project_id uuid not null references public.projects (id) on delete cascade,
  revision bigint not null,
  event_type text not null check (event_type in ('file:update', 'file:delete', 'bulk:apply')),
  file_path text,
  version integer,
  content_hash text,
  file_id uuid,
  manifest jsonb,
  actor uuid,
  created_at timestamptz not null default now(),
  primary key (project_id, revision)
);
comment on table public.project_file_events is
  'The replayable change log: one row per project revision (dense per project). A single-file event names its version in file_id; a bulk:apply row lists its files (op, file_path, version, content_hash, file_id) in manifest.';

create table if not exists public.preview_session_acks (
  session_uid text primary key,
  project_id uuid not null,
  revision bigint not null,
  acked_at timestamptz not null default now()
);
create index if not exists idx_preview_session_acks_project on public.preview_session_acks (project_id);

-- Settings: one row, edited by the database owner (never by API callers).
create table if not exists preview_private.settings (
  id boolean primary key default true check (id),
  max_file_bytes bigint not null default 10485760 check (max_file_bytes > 0),
  rate_limit_writes integer not null default 300 check (rate_limit_writes >= 0),
  rate_limit_window_seconds integer not null default 10 check (rate_limit_window_seconds > 0),
  retention_days integer not null default 7 check (retention_days >= 0)
);
comment on table preview_private.settings is
  'Limits: max_file_bytes per file (10 MiB); rate_limit_writes write calls per rate_limit_window_seconds per user (0 = off); retention_days of history kept by prune_project_history()';
insert into preview_private.settings (id) values (true) on conflict (id) do nothing;

-- Write counters for the rate limit: losing them in a crash only resets the windows.
create unlogged table if not exists preview_private.write_rate (
  actor text primary key,
  window_start timestamptz not null,
  writes integer not null
);

-- lz4 decompresses several times faster than the default pglz, which matters when a snapshot
-- reads a whole project; servers built without lz4 keep the default.
do $$
begin
  alter table public.project_files alter column content set compression lz4;
exception when feature_not_supported or invalid_parameter_value then
  null;
end
$$;
