-- Preview Operator database contract, part 7: history pruning and the revision guard.

-- Prunes history older than the retention (default: settings.retention_days, 7 days):
-- per project, every event up to the newest revision written before the cutoff, and every
-- non-current file version created by those revisions. Current heads (tombstones included)
-- are always kept, and only a whole prefix of revisions is removed, so the log stays dense
-- from its first retained revision and the gateway detects "too old" as since + 1 < first.
create or replace function public.prune_project_history(
    retention interval default null, p_project uuid default null)
  returns table (projects_pruned bigint, events_deleted bigint, versions_deleted bigint)
  language plpgsql volatile security definer
  set search_path = pg_catalog, public, pg_temp
as $$
declare
  keep interval := coalesce(retention,
    make_interval(days => (select s.retention_days from preview_private.settings s where s.id)));
  cutoff timestamptz := now() - keep;
  n_projects bigint;
  n_events bigint;
  n_versions bigint;
begin
  if keep < interval '0' then
    raise exception using errcode = 'PT400',
      message = format('retention must not be negative, got %s', keep);
  end if;
  with cut as (
    select e.project_id, max(e.revision) as upto
      from public.project_file_events e
     where e.created_at < cutoff and (p_project is null or e.project_id = p_project)
     group by e.project_id),
  gone_events as (
    delete from public.project_file_events e
     using cut
     where e.project_id = cut.project_id and e.revision <= cut.upto
    returning 1),
  gone_versions as (
    delete from public.project_files f
     using cut
     where f.project_id = cut.project_id and not f.is_current_version
       and (f.revision is null or f.revision <= cut.upto)
    returning 1)
  select (select count(*) from cut), (select count(*) from gone_events),
         (select count(*) from gone_versions)
    into n_projects, n_events, n_versions;

  delete from preview_private.write_rate w where w.window_start < now() - interval '1 hour';
  return query select n_projects, n_events, n_versions;
end
$$;
revoke all on function public.prune_project_history(interval, uuid) from public, anon, authenticated, preview_operator;
grant execute on function public.prune_project_history(interval, uuid) to service_role;

-- projects.revision counts the RPCs' writes; a direct UPDATE would break the dense log. Only
-- the owner of the functions (who owns this one too) may change it. The catalog lookup needs no
-- privilege on preview_private, which the updating role does not have.
create or replace function preview_private.guard_project_revision() returns trigger
  language plpgsql
  set search_path = pg_catalog, pg_temp
as $$
begin
  if new.revision is distinct from old.revision
     and not pg_has_role(current_user,
       (select p.proowner from pg_catalog.pg_proc p
          join pg_catalog.pg_namespace n on n.oid = p.pronamespace
         where n.nspname = 'preview_private' and p.proname = 'guard_project_revision'), 'member') then
    raise exception using errcode = 'PT403',
      message = 'projects.revision is maintained by the file RPCs and cannot be changed directly';
  end if;
  return new;
end
$$;
revoke all on function preview_private.guard_project_revision() from public;

-- The WHEN clause names the migrating role (the functions' owner), so the RPCs' own updates
-- never call the trigger function.
do $$
begin
  execute format(
    'create or replace trigger preview_guard_project_revision'
    ' before update of revision on public.projects for each row'
    ' when (old.revision is distinct from new.revision and current_user <> %L)'
    ' execute function preview_private.guard_project_revision()', current_user);
end
$$;
