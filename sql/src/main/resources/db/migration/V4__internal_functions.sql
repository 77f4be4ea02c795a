-- Preview Operator database contract, part 4: internal helpers (schema preview_private).
--
-- Not part of the API: the SECURITY DEFINER RPCs (part 5) call these as their owner, with the
-- RPC's fixed search_path in force; none is executable by anyone but the owner, so they carry no
-- SET clause of their own (which would cost a GUC switch on every call).

-- Why a path breaks the rules of DESIGN.md §3 (mirrors protocol PathRules.violation), or NULL.
-- NUL cannot occur: PostgreSQL text never holds it (the server rejects it with 22021).
create or replace function preview_private.path_violation(p text) returns text
  language plpgsql immutable parallel safe
as $$
declare
  pos integer;
  c integer;
  seg text;
begin
  if p is null or p = '' then
    return 'path is empty';
  end if;
  if octet_length(p) > 1024 then
    return 'path is longer than 1024 bytes';
  end if;
  if left(p, 1) = '/' then
    return 'path must be relative (it starts with ''/'')';
  end if;
  pos := regexp_instr(p, '[\\\u0001-\u001f\u007f-\u009f]');
  if pos > 0 then
    c := ascii(substr(p, pos, 1));
    if c = 92 then
      return 'path contains a backslash';
    end if;
    return format('path contains the control character U+%s at index %s',
                  upper(lpad(to_hex(c), 4, '0')), pos - 1);
  end if;
  foreach seg in array string_to_array(p, '/') loop
    if seg = '' then
      return 'path has an empty segment (''//'' or a trailing ''/'')';
    end if;
    if seg = '.' or seg = '..' then
      return format('path has a ''%s'' segment', seg);
    end if;
    if octet_length(seg) > 255 then
      return 'path has a segment longer than 255 bytes';
    end if;
  end loop;
  return null;
end
$$;

-- Why a file_type is not acceptable, or NULL.
create or replace function preview_private.file_type_violation(t text) returns text
  language plpgsql immutable parallel safe
as $$
begin
  if t is null or t = '' then
    return 'file_type is empty (use e.g. ''typescript'', ''json'' or ''text'')';
  elsif t !~ '^[a-z0-9][a-z0-9._+-]{0,63}$' then
    return format('file_type %s is not valid: use 1-64 lower-case letters, digits, ''.'', ''_'', ''+'' or ''-''',
                  left(quote_literal(t), 80));
  end if;
  return null;
end
$$;

-- Who is calling. Claims (request.jwt.claims, as PostgREST/Supabase sets them) come first; a
-- claims role is trusted only when the login role (session_user) may take that role, so a
-- login cannot claim a role it was never granted. Without claims, the login role's
-- membership in service_role or preview_operator decides.
-- kind: 'service' (any project), 'operator' (read any project), 'user' (user_id), 'anon'.
do $$
begin
  if to_regtype('preview_private.caller') is null then
    create type preview_private.caller as (kind text, user_id uuid);
  end if;
end
$$;

create or replace function preview_private.current_caller() returns preview_private.caller
  language plpgsql stable
as $$
declare
  raw text := nullif(current_setting('request.jwt.claims', true), '');
  claims jsonb;
  claim_role text;
  sub text;
  uid uuid;
begin
  if raw is null then
    sub := nullif(current_setting('request.jwt.claim.sub', true), '');
    claim_role := nullif(current_setting('request.jwt.claim.role', true), '');
  else
    begin
      claims := raw::jsonb;
    exception when others then
      raise exception using errcode = 'PT400',
        message = 'request.jwt.claims is not valid JSON';
    end;
    if jsonb_typeof(claims) <> 'object' then
      raise exception using errcode = 'PT400',
        message = 'request.jwt.claims is not a JSON object';
    end if;
    claim_role := claims ->> 'role';
    sub := nullif(claims ->> 'sub', '');
  end if;
  if sub is not null then
    begin
      uid := sub::uuid;
    exception when others then
      raise exception using errcode = 'PT400',
        message = format('the sub claim %s is not a user uuid', left(quote_literal(sub), 80));
    end;
  end if;

  if claim_role is null and sub is null then
    if pg_has_role(session_user, 'service_role', 'member') then
      return row('service', null)::preview_private.caller;
    elsif pg_has_role(session_user, 'preview_operator', 'member') then
      return row('operator', null)::preview_private.caller;
    end if;
    return row('anon', null)::preview_private.caller;
  end if;

  if claim_role is not null then
    if to_regrole(claim_role) is null or not pg_has_role(session_user, claim_role, 'member') then
      raise exception using errcode = 'PT403',
        message = format('the claims role %s is not granted to the login role %s',
                         left(quote_literal(claim_role), 80), quote_ident(session_user));
    end if;
    if claim_role = 'service_role' then
      return row('service', uid)::preview_private.caller;
    elsif claim_role = 'preview_operator' then
      return row('operator', null)::preview_private.caller;
    elsif claim_role = 'anon' then
      return row('anon', null)::preview_private.caller;
    end if;
  end if;
  if uid is null then
    return row('anon', null)::preview_private.caller;
  end if;
  return row('user', uid)::preview_private.caller;
end
$$;

-- Projects the current user (auth.uid()) may read / manage, for RLS policies.
create or replace function preview_private.readable_projects() returns setof uuid
  language sql stable security definer
  set search_path = pg_catalog, public, pg_temp
as $$
  select p.id from public.projects p where p.owner_id = auth.uid()
  union
  select m.project_id from public.project_members m where m.user_id = auth.uid()
$$;

create or replace function preview_private.owned_projects() returns setof uuid
  language sql stable security definer
  set search_path = pg_catalog, public, pg_temp
as $$
  select p.id from public.projects p where p.owner_id = auth.uid()
  union
  select m.project_id from public.project_members m where m.user_id = auth.uid() and m.role = 'owner'
$$;

-- Checks that the caller may read (p_write = false) or write the project and returns the actor
-- recorded as created_by (the user, or the project owner for a service call without a user).
-- A write is also counted against the rate limit and locks the project row, so writes to one
-- project are totally ordered. Raises PT400 (no project id), PT404 (no such project), PT403
-- (not allowed), PT429 (rate limit). The rate-limit key is the user (or, for a service call
-- without a user, the project), so one runaway script is stopped while others go on.
create or replace function preview_private.authorize(p_project uuid, p_write boolean)
  returns uuid
  language plpgsql volatile
as $$
declare
  who preview_private.caller := preview_private.current_caller();
  owner uuid;
  member_role text;
  acting uuid;
  lim integer;
  secs integer;
  win timestamptz;
  n integer;
begin
  if p_project is null then
    raise exception using errcode = 'PT400', message = 'project_uuid is required';
  end if;
  select p.owner_id into owner from public.projects p where p.id = p_project;
  if not found then
    raise exception using errcode = 'PT404',
      message = format('project %s does not exist', p_project);
  end if;
  if who.kind = 'service' then
    acting := coalesce(who.user_id, owner);
    if p_write and who.user_id is not null
       and not exists (select 1 from public.user_profiles u where u.id = who.user_id) then
      raise exception using errcode = 'PT400',
        message = format('the sub claim names user %s, who has no user_profiles row', who.user_id);
    end if;
  elsif who.kind = 'operator' then
    if p_write then
      raise exception using errcode = 'PT403',
        message = format('preview_operator may read project %s but never write its files', p_project);
    end if;
    return null;
  elsif who.kind = 'anon' then
    raise exception using errcode = 'PT403',
      message = format('project %s is not accessible without signing in', p_project),
      hint = 'call as an authenticated user (request.jwt.claims with a sub) or as service_role';
  elsif who.user_id = owner then
    acting := who.user_id;
  else
    select m.role into member_role from public.project_members m
     where m.project_id = p_project and m.user_id = who.user_id;
    if member_role in ('owner', 'editor') or (member_role = 'viewer' and not p_write) then
      acting := who.user_id;
    elsif member_role = 'viewer' then
      raise exception using errcode = 'PT403',
        message = format('user %s is a viewer of project %s and may not change its files', who.user_id, p_project),
        hint = 'ask the project owner for the editor role';
    else
      raise exception using errcode = 'PT403',
        message = format('user %s is not a member of project %s', who.user_id, p_project),
        hint = 'ask the project owner to add you as a member';
    end if;
  end if;
  if not p_write then
    return acting;
  end if;

  select s.rate_limit_writes, s.rate_limit_window_seconds into lim, secs
    from preview_private.settings s where s.id;
  if coalesce(lim, 0) > 0 then
    win := to_timestamp(floor(extract(epoch from now()) / secs) * secs);
    insert into preview_private.write_rate as w (actor, window_start, writes)
         values (case when who.user_id is not null then 'user:' || who.user_id
                      else 'project:' || p_project end, win, 1)
    on conflict (actor) do update
       set writes = case when w.window_start = excluded.window_start then w.writes + 1 else 1 end,
           window_start = excluded.window_start
    returning w.writes into n;
    if n > lim then
      raise exception using errcode = 'PT429',
        message = format('rate limit exceeded: at most %s writes per %s seconds; retry in %s seconds',
                         lim, secs, greatest(1, ceil(extract(epoch from (win + make_interval(secs => secs) - now())))::int)),
        hint = 'batch many files into one bulk_upsert_project_files call';
    end if;
  end if;
  perform 1 from public.projects p where p.id = p_project for no key update;
  return acting;
end
$$;

-- Raises PT409 when expected_version does not match the current head (absent = version 0; a
-- tombstone head matches 0 and its own version).
create or replace function preview_private.check_expected(
    p_project uuid, p_path text, head public.project_files, p_expected integer) returns void
  language plpgsql stable
as $$
begin
  if p_expected is null then
    return;
  end if;
  if head.id is null then
    if p_expected <> 0 then
      raise exception using errcode = 'PT409',
        message = format('%s does not exist in project %s (expected version %s); reload and retry',
                         p_path, p_project, p_expected),
        detail = 'current_version=0';
    end if;
  elsif head.is_deleted then
    if p_expected <> 0 and p_expected <> head.version then
      raise exception using errcode = 'PT409',
        message = format('%s was deleted at version %s (expected version %s); reload and retry',
                         p_path, head.version, p_expected),
        detail = format('current_version=%s', head.version);
    end if;
  elsif p_expected <> head.version then
    raise exception using errcode = 'PT409',
      message = format('%s is at version %s, not the expected version %s; reload and retry',
                       p_path, head.version, p_expected),
      detail = format('current_version=%s', head.version);
  end if;
end
$$;

-- Raises PT400 for a bad path (or, when p_check_type, file type) and PT413 for a size over the
-- limit. p_label prefixes messages (a bulk item's position).
create or replace function preview_private.check_file(
    p_path text, p_type text, p_size bigint, p_check_type boolean, p_label text default null)
  returns void
  language plpgsql stable
as $$
declare
  why text := preview_private.path_violation(p_path);
  lim bigint;
begin
  if why is not null then
    raise exception using errcode = 'PT400',
      message = format('%sinvalid file path %s: %s', coalesce(p_label || ': ', ''),
                       left(quote_nullable(p_path), 120), why);
  end if;
  if p_check_type then
    why := preview_private.file_type_violation(p_type);
    if why is not null then
      raise exception using errcode = 'PT400', message = coalesce(p_label || ': ', '') || why;
    end if;
  end if;
  if p_size is not null then
    select s.max_file_bytes into lim from preview_private.settings s where s.id;
    lim := coalesce(lim, 10485760);
    if p_size > lim then
      raise exception using errcode = 'PT413',
        message = format('%s is %s bytes, over the limit of %s bytes per file',
                         coalesce(p_label || ' (' || p_path || ')', p_path), p_size, lim),
        hint = 'store large assets as binary files (register_binary_file) or split the file';
    end if;
  end if;
end
$$;

-- Applies one validated file change (text or binary upsert, or delete): authorize + lock,
-- version check, no-op check, new version, event, doorbell.
create or replace function preview_private.apply_file_change(
    p_project uuid, p_path text, p_type text, p_content text, p_hash text, p_size bigint,
    p_delete boolean, p_expected integer)
  returns public.project_files
  language plpgsql volatile
as $$
declare
  actor uuid := preview_private.authorize(p_project, true);
  head public.project_files;
  rev bigint;
  result public.project_files;
  ev text := case when p_delete then 'file:delete' else 'file:update' end;
begin
  select * into head from public.project_files f
   where f.project_id = p_project and f.file_path = p_path and f.is_current_version;
  if p_expected is not null then
    perform preview_private.check_expected(p_project, p_path, head, p_expected);
  end if;
  if p_delete then
    if head.id is null or head.is_deleted then
      raise exception using errcode = 'PT404',
        message = format('%s does not exist in project %s', p_path, p_project);
    end if;
  elsif head.id is not null and not head.is_deleted
        and head.content_hash = p_hash and head.file_type = p_type
        and (head.content is null) = (p_content is null) then
    return head;
  end if;

  update public.projects set revision = revision + 1 where id = p_project
    returning revision into rev;
  if head.id is not null then
    update public.project_files set is_current_version = false where id = head.id;
  end if;
  insert into public.project_files
    (project_id, file_path, file_type, content, content_hash, version, parent_version_id,
     is_current_version, created_by, last_modified_by, created_at, updated_at, is_deleted,
     size_bytes, revision)
  values
    (p_project, p_path, case when p_delete then head.file_type else p_type end,
     case when p_delete then null else p_content end,
     case when p_delete then null else p_hash end,
     coalesce(head.version, 0) + 1, head.id, true, actor, actor, now(), now(), p_delete,
     case when p_delete then null else p_size end, rev)
  returning * into result;
  insert into public.project_file_events
    (project_id, revision, event_type, file_path, version, content_hash, file_id, actor)
  values (p_project, rev, ev, p_path, result.version, result.content_hash, result.id, actor);
  perform pg_notify('realtime:project:' || p_project::text,
                    '{"revision":' || rev || ',"type":"' || ev || '"}');
  return result;
end
$$;

-- Folded into the functions above by an earlier revision of this file.
drop function if exists preview_private.count_write(text);
drop function if exists preview_private.begin_write(uuid);
drop function if exists preview_private.max_file_bytes();
drop function if exists preview_private.check_size(text, bigint);
drop function if exists preview_private.require_valid_path(text);
drop function if exists preview_private.require_valid_type(text);

revoke all on all functions in schema preview_private from public;
