-- Preview Operator database contract, part 5: the RPCs (DESIGN.md §3).
--
-- All SECURITY DEFINER with a fixed search_path; EXECUTE revoked from PUBLIC (and anon) and
-- granted to authenticated and service_role; the read RPCs also to preview_operator.
-- Errors: PT400 bad input, PT403 not allowed, PT404 no such project/file, PT409 stale
-- expected_version, PT413 over the size limit, PT429 rate limit.

do $$
begin
  if to_regtype('preview_private.bulk_item') is null then
    create type preview_private.bulk_item as (
      idx integer, file_path text, file_type text, content text, content_hash text,
      size_bytes bigint, expected_version integer, is_delete boolean);
  end if;
end
$$;

create or replace function public.upsert_project_file(
    project_uuid uuid, p_file_path text, p_content text, p_file_type text,
    expected_version integer default null)
  returns public.project_files
  language plpgsql volatile security definer
  set search_path = pg_catalog, public, pg_temp
as $$
declare
  bytes bytea := convert_to(p_content, 'UTF8');
begin
  perform preview_private.check_file(p_file_path, p_file_type, octet_length(bytes), true);
  if p_content is null then
    raise exception using errcode = 'PT400',
      message = format('content of %s is null; register a binary file with register_binary_file', p_file_path);
  end if;
  if expected_version < 0 then
    raise exception using errcode = 'PT400',
      message = format('expected_version must be NULL, 0 or a version, got %s', expected_version);
  end if;
  return preview_private.apply_file_change(
    project_uuid, p_file_path, p_file_type, p_content, encode(sha256(bytes), 'hex'),
    octet_length(bytes), false, expected_version);
end
$$;

create or replace function public.delete_project_file(
    project_uuid uuid, p_file_path text, expected_version integer default null)
  returns public.project_files
  language plpgsql volatile security definer
  set search_path = pg_catalog, public, pg_temp
as $$
begin
  perform preview_private.check_file(p_file_path, null, null, false);
  if expected_version < 0 then
    raise exception using errcode = 'PT400',
      message = format('expected_version must be NULL, 0 or a version, got %s', expected_version);
  end if;
  return preview_private.apply_file_change(
    project_uuid, p_file_path, null, null, null, null, true, expected_version);
end
$$;

-- A binary file: its bytes are already in object storage at blobs/{p_content_hash}; the row
-- carries content NULL, the hash and the size.
create or replace function public.register_binary_file(
    project_uuid uuid, p_file_path text, p_content_hash text, p_size_bytes bigint,
    p_file_type text, expected_version integer default null)
  returns public.project_files
  language plpgsql volatile security definer
  set search_path = pg_catalog, public, pg_temp
as $$
begin
  perform preview_private.check_file(p_file_path, p_file_type, null, true);
  if p_content_hash is null or p_content_hash !~ '^[0-9a-f]{64}$' then
    raise exception using errcode = 'PT400',
      message = format('content_hash %s is not a lower-case hex sha256 (64 characters)',
                       left(quote_nullable(p_content_hash), 80));
  end if;
  if p_size_bytes is null or p_size_bytes < 0 then
    raise exception using errcode = 'PT400',
      message = format('size_bytes must be a non-negative byte count, got %s', coalesce(p_size_bytes::text, 'NULL'));
  end if;
  if expected_version < 0 then
    raise exception using errcode = 'PT400',
      message = format('expected_version must be NULL, 0 or a version, got %s', expected_version);
  end if;
  perform preview_private.check_file(p_file_path, p_file_type, p_size_bytes, true);
  return preview_private.apply_file_change(
    project_uuid, p_file_path, p_file_type, null, p_content_hash, p_size_bytes, false, expected_version);
end
$$;

create or replace function public.list_current_files(project_uuid uuid)
  returns table (file_path text, file_type text, content text, content_hash text,
                 version integer, updated_at timestamptz)
  language plpgsql stable security definer
  set search_path = pg_catalog, public, pg_temp
as $$
begin
  perform preview_private.authorize(project_uuid, false);
  return query
    select f.file_path, f.file_type, f.content, f.content_hash, f.version, f.updated_at
      from public.project_files f
     where f.project_id = project_uuid and f.is_current_version and not f.is_deleted
     order by f.file_path;
end
$$;

-- Parses and validates a bulk request completely before anything is written.
create or replace function preview_private.parse_bulk(files jsonb)
  returns preview_private.bulk_item[]
  language plpgsql stable
as $$
declare
  items preview_private.bulk_item[] := '{}';
  elem jsonb;
  i integer;
  bad text;
  path text;
  why text;
  del boolean;
  expected integer;
  ftype text;
  body text;
  hash text;
  size bigint;
  bytes bytea;
  lim bigint := coalesce((select s.max_file_bytes from preview_private.settings s where s.id), 10485760);
begin
  if files is null or jsonb_typeof(files) <> 'array' then
    raise exception using errcode = 'PT400',
      message = 'files must be a JSON array of {file_path, file_type, content} objects';
  end if;
  if jsonb_array_length(files) = 0 then
    raise exception using errcode = 'PT400', message = 'files is empty: nothing to apply';
  end if;
  for elem, i in select e, n - 1 from jsonb_array_elements(files) with ordinality as t(e, n) loop
    if jsonb_typeof(elem) <> 'object' then
      raise exception using errcode = 'PT400', message = format('files[%s] is not a JSON object', i);
    end if;
    select k into bad from jsonb_object_keys(elem) k
     where k not in ('file_path', 'file_type', 'content', 'content_hash', 'size_bytes',
                     'expected_version', 'delete')
     limit 1;
    if bad is not null then
      raise exception using errcode = 'PT400',
        message = format('files[%s] has the unknown key %s (allowed: file_path, file_type, content, content_hash, size_bytes, expected_version, delete)',
                         i, left(quote_literal(bad), 80));
    end if;
    if jsonb_typeof(elem -> 'file_path') is distinct from 'string' then
      raise exception using errcode = 'PT400', message = format('files[%s].file_path must be a string', i);
    end if;
    path := elem ->> 'file_path';
    why := preview_private.path_violation(path);
    if why is not null then
      raise exception using errcode = 'PT400',
        message = format('files[%s]: invalid file path %s: %s', i, left(quote_literal(path), 120), why);
    end if;
    if coalesce(jsonb_typeof(elem -> 'delete'), 'null') not in ('boolean', 'null') then
      raise exception using errcode = 'PT400', message = format('files[%s].delete must be true or false', i);
    end if;
    del := coalesce((elem ->> 'delete')::boolean, false);
    expected := null;
    if coalesce(jsonb_typeof(elem -> 'expected_version'), 'null') <> 'null' then
      if jsonb_typeof(elem -> 'expected_version') <> 'number'
         or (elem ->> 'expected_version') !~ '^[0-9]{1,9}$' then
        raise exception using errcode = 'PT400',
          message = format('files[%s].expected_version must be null or a non-negative integer', i);
      end if;
      expected := (elem ->> 'expected_version')::integer;
    end if;
    ftype := null; body := null; hash := null; size := null;
    if del then
      if elem ? 'content' or elem ? 'content_hash' then
        raise exception using errcode = 'PT400',
          message = format('files[%s] deletes %s and must not carry content', i, path);
      end if;
    else
      if jsonb_typeof(elem -> 'file_type') is distinct from 'string' then
        raise exception using errcode = 'PT400', message = format('files[%s].file_type must be a string', i);
      end if;
      ftype := elem ->> 'file_type';
      why := preview_private.file_type_violation(ftype);
      if why is not null then
        raise exception using errcode = 'PT400', message = format('files[%s]: %s', i, why);
      end if;
      if jsonb_typeof(elem -> 'content') = 'string' then
        body := elem ->> 'content';
        bytes := convert_to(body, 'UTF8');
        size := octet_length(bytes);
        if size > lim then
          perform preview_private.check_file(path, ftype, size, false, format('files[%s]', i));
        end if;
        hash := encode(sha256(bytes), 'hex');
      elsif coalesce(jsonb_typeof(elem -> 'content'), 'null') = 'null'
            and jsonb_typeof(elem -> 'content_hash') = 'string' then
        hash := elem ->> 'content_hash';
        if hash !~ '^[0-9a-f]{64}$' then
          raise exception using errcode = 'PT400',
            message = format('files[%s].content_hash is not a lower-case hex sha256', i);
        end if;
        if jsonb_typeof(elem -> 'size_bytes') is distinct from 'number'
           or (elem ->> 'size_bytes') !~ '^[0-9]{1,18}$' then
          raise exception using errcode = 'PT400',
            message = format('files[%s].size_bytes must be a non-negative integer for a binary file', i);
        end if;
        size := (elem ->> 'size_bytes')::bigint;
        if size > lim then
          perform preview_private.check_file(path, ftype, size, false, format('files[%s]', i));
        end if;
      else
        raise exception using errcode = 'PT400',
          message = format('files[%s].content must be a string (or give content_hash and size_bytes for a binary file)', i);
      end if;
    end if;
    items := items || row(i, path, ftype, body, hash, size, expected, del)::preview_private.bulk_item;
  end loop;
  select x.file_path into path from unnest(items) x group by x.file_path having count(*) > 1 limit 1;
  if path is not null then
    raise exception using errcode = 'PT400',
      message = format('files lists %s more than once', quote_literal(path));
  end if;
  return items;
end
$$;

-- All or nothing: one revision, one bulk:apply event, one NOTIFY for the whole call; nothing
-- at all when every item is identical to its current head.
create or replace function public.bulk_upsert_project_files(project_uuid uuid, files jsonb)
  returns setof public.project_files
  language plpgsql volatile security definer
  set search_path = pg_catalog, public, pg_temp
as $$
declare
  items preview_private.bulk_item[] := preview_private.parse_bulk(files);
  actor uuid := preview_private.authorize(project_uuid, true);
  missing record;
  changed integer[];
  n integer;
  rev bigint;
begin
  -- version checks, in request order
  perform preview_private.check_expected(project_uuid, i.file_path, h, i.expected_version)
     from unnest(items) i
     left join public.project_files h
       on h.project_id = project_uuid and h.file_path = i.file_path and h.is_current_version
    where i.expected_version is not null
    order by i.idx;
  select i.idx, i.file_path into missing
    from unnest(items) i
    left join public.project_files h
      on h.project_id = project_uuid and h.file_path = i.file_path and h.is_current_version
   where i.is_delete and (h.id is null or h.is_deleted)
   order by i.idx limit 1;
  if found then
    raise exception using errcode = 'PT404',
      message = format('files[%s]: %s does not exist in project %s', missing.idx, missing.file_path, project_uuid);
  end if;

  -- which items change something (heads of identical content and type stay)
  select count(*), array_agg(i.idx) into n, changed
    from unnest(items) i
    left join public.project_files h
      on h.project_id = project_uuid and h.file_path = i.file_path and h.is_current_version
   where i.is_delete or h.id is null or h.is_deleted
      or h.content_hash is distinct from i.content_hash or h.file_type <> i.file_type
      or (h.content is null) <> (i.content is null);

  if n > 0 then
    update public.projects set revision = revision + 1 where id = project_uuid
      returning revision into rev;
    update public.project_files h set is_current_version = false
      from unnest(items) i
     where i.idx = any (changed)
       and h.project_id = project_uuid and h.file_path = i.file_path and h.is_current_version;
    -- the previous head of a path is its highest version
    with inserted as (
      insert into public.project_files
        (project_id, file_path, file_type, content, content_hash, version, parent_version_id,
         is_current_version, created_by, last_modified_by, created_at, updated_at, is_deleted,
         size_bytes, revision)
      select project_uuid, i.file_path, coalesce(i.file_type, prev.file_type), i.content,
             i.content_hash, coalesce(prev.version, 0) + 1, prev.id, true, actor, actor,
             now(), now(), i.is_delete, i.size_bytes, rev
        from unnest(items) i
        left join lateral (
          select p.id, p.version, p.file_type from public.project_files p
           where p.project_id = project_uuid and p.file_path = i.file_path
           order by p.version desc limit 1) prev on true
       where i.idx = any (changed)
      returning id, file_path, version, content_hash, is_deleted)
    insert into public.project_file_events
      (project_id, revision, event_type, manifest, actor)
    select project_uuid, rev, 'bulk:apply',
           jsonb_agg(jsonb_build_object(
             'op', case when f.is_deleted then 'delete' else 'upsert' end,
             'file_path', f.file_path, 'version', f.version, 'content_hash', f.content_hash,
             'file_id', f.id)
             order by f.file_path),
           actor
      from inserted f;
    perform pg_notify('realtime:project:' || project_uuid::text,
                      format('{"revision":%s,"type":"bulk:apply"}', rev));
  end if;

  return query
    select h.* from public.project_files h
      join unnest(items) i on h.file_path = i.file_path
     where h.project_id = project_uuid and h.is_current_version
     order by h.file_path;
end
$$;

create or replace function preview_private.lost_versions(p_project uuid, p_revision bigint)
  returns text
  language plpgsql volatile
as $$
begin
  raise exception using errcode = 'XX001',
    message = format('revision %s of project %s has lost file versions; resync from a snapshot',
                     p_revision, p_project);
end
$$;

-- The change log after since_revision with each file version's content, for replay.
-- max_events counts revisions (a bulk:apply revision is never split).
create or replace function public.project_changes_since(
    project_uuid uuid, since_revision bigint, max_events integer default 1000)
  returns table (revision bigint, event_type text, file_path text, file_type text,
                 content text, content_hash text, version integer, is_deleted boolean,
                 created_at timestamptz)
  language plpgsql stable security definer
  set search_path = pg_catalog, public, pg_temp
as $$
begin
  if since_revision is null or since_revision < 0 then
    raise exception using errcode = 'PT400',
      message = format('since_revision must be a non-negative revision, got %s', coalesce(since_revision::text, 'NULL'));
  end if;
  if max_events is null or max_events < 1 then
    raise exception using errcode = 'PT400',
      message = format('max_events must be at least 1, got %s', coalesce(max_events::text, 'NULL'));
  end if;
  perform preview_private.authorize(project_uuid, false);

  -- the file versions of each revision: file_id of a single-file event, the manifest of a bulk
  -- one. A version that no longer exists fails the call (lost_versions raises): a replay is
  -- never silently short.
  return query
    with ev as (
      select e.revision, e.event_type, e.created_at, e.file_id, e.manifest
        from public.project_file_events e
       where e.project_id = project_uuid and e.revision > since_revision
       order by e.revision
       limit max_events)
    select ev.revision, ev.event_type,
           coalesce(f.file_path, preview_private.lost_versions(project_uuid, ev.revision)),
           f.file_type, f.content, f.content_hash, f.version, f.is_deleted, ev.created_at
      from ev
     cross join lateral (
       select ev.file_id as id where ev.manifest is null
       union all
       select (m ->> 'file_id')::uuid from jsonb_array_elements(ev.manifest) m
     ) x
      left join public.project_files f on f.id = x.id
     order by ev.revision, f.file_path;
end
$$;

revoke all on function public.upsert_project_file(uuid, text, text, text, integer) from public, anon;
revoke all on function public.delete_project_file(uuid, text, integer) from public, anon;
revoke all on function public.register_binary_file(uuid, text, text, bigint, text, integer) from public, anon;
revoke all on function public.bulk_upsert_project_files(uuid, jsonb) from public, anon;
revoke all on function public.list_current_files(uuid) from public, anon;
revoke all on function public.project_changes_since(uuid, bigint, integer) from public, anon;

grant execute on function public.upsert_project_file(uuid, text, text, text, integer) to authenticated, service_role;
grant execute on function public.delete_project_file(uuid, text, integer) to authenticated, service_role;
grant execute on function public.register_binary_file(uuid, text, text, bigint, text, integer) to authenticated, service_role;
grant execute on function public.bulk_upsert_project_files(uuid, jsonb) to authenticated, service_role;
grant execute on function public.list_current_files(uuid) to authenticated, service_role, preview_operator;
grant execute on function public.project_changes_since(uuid, bigint, integer) to authenticated, service_role, preview_operator;

revoke all on all functions in schema preview_private from public;
