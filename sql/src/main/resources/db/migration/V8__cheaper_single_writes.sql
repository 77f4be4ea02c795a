-- Preview Operator database contract, part 8: cheaper single-file writes.
--
-- Less work per write for issue 2's throughput target: the project row was locked (FOR NO KEY
-- UPDATE: a tuple lock, a WAL record) and then updated; now the update is the lock. The
-- rate-limit counter went through INSERT ... ON CONFLICT (a speculative insertion each time);
-- now a plain UPDATE. (What limits 8 writers on 2 cores is NOTIFY's cluster-wide commit lock:
-- see BENCHMARKS.md.) Contracts are unchanged: the same checks in the same order, the same
-- SQLSTATEs and messages, dense revisions, no revision for a no-op, one NOTIFY per write
-- transaction.

-- The access check and the rate limit of authorize(), without the project lock.
create or replace function preview_private.check_access(p_project uuid, p_write boolean)
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
  rate_key text;
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
    rate_key := case when who.user_id is not null then 'user:' || who.user_id
                     else 'project:' || p_project end;
    -- the counter row exists after a caller's first write: a plain update is cheaper than
    -- INSERT ... ON CONFLICT's speculative insertion
    update preview_private.write_rate w
       set writes = case when w.window_start = win then w.writes + 1 else 1 end,
           window_start = win
     where w.actor = rate_key
    returning w.writes into n;
    if not found then
      insert into preview_private.write_rate as w (actor, window_start, writes)
           values (rate_key, win, 1)
      on conflict (actor) do update
         set writes = case when w.window_start = excluded.window_start then w.writes + 1 else 1 end,
             window_start = excluded.window_start
      returning w.writes into n;
    end if;
    if n > lim then
      raise exception using errcode = 'PT429',
        message = format('rate limit exceeded: at most %s writes per %s seconds; retry in %s seconds',
                         lim, secs, greatest(1, ceil(extract(epoch from (win + make_interval(secs => secs) - now())))::int)),
        hint = 'batch many files into one bulk_upsert_project_files call';
    end if;
  end if;
  return acting;
end
$$;

-- Unchanged contract for the other callers (bulk writes lock here; reads never lock).
create or replace function preview_private.authorize(p_project uuid, p_write boolean)
  returns uuid
  language plpgsql volatile
as $$
declare
  acting uuid := preview_private.check_access(p_project, p_write);
begin
  if p_write then
    perform 1 from public.projects p where p.id = p_project for no key update;
  end if;
  return acting;
end
$$;

-- Applies one validated file change: access check and rate limit, revision bump (the lock),
-- version check, no-op check, new version, event, doorbell.
create or replace function preview_private.apply_file_change(
    p_project uuid, p_path text, p_type text, p_content text, p_hash text, p_size bigint,
    p_delete boolean, p_expected integer)
  returns public.project_files
  language plpgsql volatile
as $$
declare
  actor uuid := preview_private.check_access(p_project, true);
  head public.project_files;
  rev bigint;
  result public.project_files;
  ev text := case when p_delete then 'file:delete' else 'file:update' end;
begin
  -- The revision bump is also the project's row lock (writes to one project are totally
  -- ordered from here): one tuple operation instead of FOR NO KEY UPDATE and then UPDATE.
  -- An error below rolls it back; a no-op gives the revision back before anyone can see it.
  update public.projects set revision = revision + 1 where id = p_project
    returning revision into rev;
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
    update public.projects set revision = revision - 1 where id = p_project;
    return head;
  end if;

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

revoke all on function preview_private.check_access(uuid, boolean)
  from public, anon, authenticated, service_role, preview_operator;
