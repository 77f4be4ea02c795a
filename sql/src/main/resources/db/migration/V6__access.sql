-- Preview Operator database contract, part 6: row level security, grants, the legacy view.
--
-- Users never write project files or events directly (that would bypass the revision and the
-- event): they read through RLS and write through the RPCs. preview_operator reads what the
-- operator and gateway need and writes preview_session_acks only. Policies are (re)created by
-- name, so re-running this is harmless; a Supabase project's own policies stay.

alter table public.user_profiles enable row level security;
alter table public.projects enable row level security;
alter table public.project_members enable row level security;
alter table public.project_files enable row level security;
alter table public.project_file_events enable row level security;
alter table public.preview_session_acks enable row level security;
alter table preview_private.settings enable row level security;
alter table preview_private.write_rate enable row level security;

-- RLS helpers run in policies as the querying user; nothing else in preview_private is callable
-- (also where default privileges would grant functions to the API roles)
revoke all on all functions in schema preview_private from public, anon, authenticated, service_role, preview_operator;
grant usage on schema preview_private to authenticated;
grant execute on function preview_private.readable_projects() to authenticated;
grant execute on function preview_private.owned_projects() to authenticated;

-- user_profiles
drop policy if exists preview_profiles_self on public.user_profiles;
create policy preview_profiles_self on public.user_profiles
  for select to authenticated using (id = (select auth.uid()));
drop policy if exists preview_profiles_service on public.user_profiles;
create policy preview_profiles_service on public.user_profiles
  for all to service_role using (true) with check (true);
grant select on public.user_profiles to authenticated;
grant select, insert, update, delete on public.user_profiles to service_role;

-- projects: members read, the owner creates, renames and deletes; the revision is the RPCs'
drop policy if exists preview_projects_read on public.projects;
create policy preview_projects_read on public.projects
  for select to authenticated using (id in (select preview_private.readable_projects()));
drop policy if exists preview_projects_insert on public.projects;
create policy preview_projects_insert on public.projects
  for insert to authenticated with check (owner_id = (select auth.uid()));
drop policy if exists preview_projects_update on public.projects;
create policy preview_projects_update on public.projects
  for update to authenticated using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));
drop policy if exists preview_projects_delete on public.projects;
create policy preview_projects_delete on public.projects
  for delete to authenticated using (owner_id = (select auth.uid()));
drop policy if exists preview_projects_service on public.projects;
create policy preview_projects_service on public.projects
  for all to service_role using (true) with check (true);
drop policy if exists preview_projects_operator on public.projects;
create policy preview_projects_operator on public.projects
  for select to preview_operator using (true);
grant select, insert, delete on public.projects to authenticated, service_role;
-- (an existing projects table may have no name column)
do $$
begin
  if exists (select from information_schema.columns
             where table_schema = 'public' and table_name = 'projects' and column_name = 'name') then
    grant update (name) on public.projects to authenticated, service_role;
  end if;
end
$$;
grant select on public.projects to preview_operator;

-- project_members: members see the membership list, owners manage it
drop policy if exists preview_members_read on public.project_members;
create policy preview_members_read on public.project_members
  for select to authenticated
  using (user_id = (select auth.uid()) or project_id in (select preview_private.readable_projects()));
drop policy if exists preview_members_manage on public.project_members;
create policy preview_members_manage on public.project_members
  for all to authenticated
  using (project_id in (select preview_private.owned_projects()))
  with check (project_id in (select preview_private.owned_projects()));
drop policy if exists preview_members_service on public.project_members;
create policy preview_members_service on public.project_members
  for all to service_role using (true) with check (true);
grant select, insert, update, delete on public.project_members to authenticated, service_role;

-- project_files and the event log: read-only for everyone but the functions' owner
drop policy if exists preview_files_read on public.project_files;
create policy preview_files_read on public.project_files
  for select to authenticated using (project_id in (select preview_private.readable_projects()));
drop policy if exists preview_files_service on public.project_files;
create policy preview_files_service on public.project_files
  for select to service_role using (true);
drop policy if exists preview_files_operator on public.project_files;
create policy preview_files_operator on public.project_files
  for select to preview_operator using (true);

drop policy if exists preview_events_read on public.project_file_events;
create policy preview_events_read on public.project_file_events
  for select to authenticated using (project_id in (select preview_private.readable_projects()));
drop policy if exists preview_events_service on public.project_file_events;
create policy preview_events_service on public.project_file_events
  for select to service_role using (true);
drop policy if exists preview_events_operator on public.project_file_events;
create policy preview_events_operator on public.project_file_events
  for select to preview_operator using (true);

revoke all on public.project_files from public, anon, authenticated, service_role, preview_operator;
revoke all on public.project_file_events from public, anon, authenticated, service_role, preview_operator;
grant select on public.project_files to authenticated, service_role, preview_operator;
grant select on public.project_file_events to authenticated, service_role, preview_operator;

revoke all on public.project_files_current from public, anon, authenticated, service_role, preview_operator;
grant select on public.project_files_current to authenticated, service_role, preview_operator;

-- acks: the gateway's one writable table
drop policy if exists preview_acks_operator on public.preview_session_acks;
create policy preview_acks_operator on public.preview_session_acks
  for all to preview_operator using (true) with check (true);
drop policy if exists preview_acks_service on public.preview_session_acks;
create policy preview_acks_service on public.preview_session_acks
  for select to service_role using (true);
revoke all on public.preview_session_acks from public, anon, authenticated, service_role, preview_operator;
grant select, insert, update on public.preview_session_acks to preview_operator;
grant select on public.preview_session_acks to service_role;


grant usage on schema public to authenticated, service_role, preview_operator;

-- Legacy readers: the current files under the old column names.
create or replace view public.legacy_project_files with (security_invoker = true) as
  select id, project_id, file_path as path, file_type as type, content, content_hash, version,
         created_by, created_at, updated_at
    from public.project_files
   where is_current_version and not is_deleted;
revoke all on public.legacy_project_files from public, anon, authenticated, service_role, preview_operator;
grant select on public.legacy_project_files to authenticated, service_role;
